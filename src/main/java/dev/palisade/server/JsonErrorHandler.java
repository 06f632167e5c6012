package dev.palisade.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.ByteBuffer;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Errors the HTTP layer answers before a route is reached (an undecodable path, a malformed request
 * line) as the API's JSON error object instead of an HTML page; never with the cause's stack.
 */
final class JsonErrorHandler extends ErrorHandler {
    private final ObjectMapper json = new ObjectMapper();

    @Override
    protected void generateResponse(
            Request request, Response response, int code, String message, Throwable cause, Callback callback) {
        String text = message == null || message.isBlank() ? HttpStatus.getMessage(code) : message;
        byte[] body;
        try {
            body = json.writeValueAsBytes(
                    json.createObjectNode().put("error", text).put("status", code));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            body = ("{\"status\":" + code + "}").getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        }
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        response.write(true, ByteBuffer.wrap(body), callback);
    }
}
