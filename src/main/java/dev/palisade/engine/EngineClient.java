package dev.palisade.engine;

import com.fasterxml.jackson.databind.JsonNode;
import dev.palisade.source.ArtifactLimitException;
import dev.palisade.source.Deadline;
import dev.palisade.source.LimitExceededException;
import dev.palisade.source.LimitedInputStream;
import dev.palisade.source.StructuredText;
import dev.palisade.source.TimeLimitException;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A minimal HTTP/1.1 client for a container engine's Docker-compatible API, over a unix socket or TCP.
 * It sends one GET per connection ({@code Connection: close}) and reads bounded headers, then a body
 * framed by {@code Content-Length}, chunked transfer coding, or the end of the connection.
 */
public final class EngineClient {
    static final int MAX_HEADER_BYTES = 64 * 1024;
    static final int MAX_ERROR_BYTES = 64 * 1024;
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);

    private final EngineHost host;
    private final String engineName;
    private final Duration idleTimeout;

    /**
     * @param engineName how messages name the engine (Docker, Podman)
     * @param idleTimeout the longest the engine may stay silent before the export is abandoned
     */
    public EngineClient(EngineHost host, String engineName, Duration idleTimeout) {
        this.host = host;
        this.engineName = engineName;
        this.idleTimeout = idleTimeout;
    }

    /**
     * Writes the image as the engine exports it ({@code GET /images/NAME/get}: a docker-archive tar) to
     * {@code target}, at most {@code maxBytes} bytes, stopping at the scan's deadline.
     *
     * @throws EngineException when the engine is not there, does not have the image, or fails the export
     * @throws ArtifactLimitException when the export is larger than {@code maxBytes}
     * @throws TimeLimitException when the scan's deadline passes during the export
     */
    public void exportImage(String image, Path target, long maxBytes, Deadline deadline) throws IOException {
        try (Connection connection = connect()) {
            Response response;
            try {
                response = connection.get("/images/" + pathSegment(image) + "/get");
            } catch (IOException e) {
                throw new EngineException(
                        EngineException.Reason.FAILED,
                        engineName + " at " + host + " did not answer the export of " + image + " in HTTP: "
                                + e.getMessage(),
                        e);
            }
            if (response.status() == 404) {
                throw new EngineException(
                        EngineException.Reason.NOT_FOUND,
                        engineName + " at " + host + " has no image " + image + errorDetail(response));
            }
            if (response.status() != 200) {
                throw new EngineException(
                        EngineException.Reason.FAILED,
                        engineName + " at " + host + " refused to export " + image + ": HTTP " + response.status()
                                + errorDetail(response));
            }
            try (InputStream body = LimitedInputStream.artifactBudget(
                            response.body(), maxBytes, "the export of " + image, deadline);
                    OutputStream out = Files.newOutputStream(
                            target, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING)) {
                body.transferTo(out);
            } catch (LimitExceededException | ArtifactLimitException e) {
                throw e; // the scan's own bounds: not a reason to try the next source
            } catch (IOException e) {
                throw new EngineException(
                        EngineException.Reason.FAILED,
                        engineName + " at " + host + " broke off the export of " + image + ": " + e.getMessage(),
                        e);
            }
        }
    }

    /** Letters, digits and the separators of image names pass; anything else is percent-encoded. */
    static String pathSegment(String image) {
        StringBuilder out = new StringBuilder();
        for (byte b : image.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if ((c >= 'a' && c <= 'z')
                    || (c >= 'A' && c <= 'Z')
                    || (c >= '0' && c <= '9')
                    || c == '.'
                    || c == '_'
                    || c == '-'
                    || c == '/'
                    || c == ':'
                    || c == '@') {
                out.append(c);
            } else {
                out.append('%').append(String.format(Locale.ROOT, "%02X", b & 0xff));
            }
        }
        return out.toString();
    }

    /** The engine's own explanation ({@code {"message": ...}}), when it gave one. */
    private static String errorDetail(Response response) {
        try {
            byte[] bytes = LimitedInputStream.readAll(response.body(), MAX_ERROR_BYTES, "the engine's error");
            JsonNode error = StructuredText.json(bytes);
            String message = StructuredText.text(error, "message");
            return message.isEmpty() ? "" : " (" + message + ")";
        } catch (IOException | RuntimeException e) {
            return "";
        }
    }

    private Connection connect() throws EngineException {
        String advice = " (is " + engineName + " running?)";
        try {
            if (host.socket() != null) {
                SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
                try {
                    channel.connect(UnixDomainSocketAddress.of(host.socket()));
                } catch (IOException | RuntimeException e) {
                    channel.close();
                    throw e;
                }
                return new Connection(
                        Channels.newInputStream(channel), Channels.newOutputStream(channel), channel, "docker");
            }
            Socket socket = new Socket();
            try {
                socket.connect(new InetSocketAddress(host.host(), host.port()), (int) CONNECT_TIMEOUT.toMillis());
                socket.setSoTimeout((int) Math.min(Integer.MAX_VALUE, idleTimeout.toMillis()));
            } catch (IOException | RuntimeException e) {
                socket.close();
                throw e;
            }
            return new Connection(
                    socket.getInputStream(), socket.getOutputStream(), socket, host.host() + ":" + host.port());
        } catch (IOException | RuntimeException e) {
            throw new EngineException(
                    EngineException.Reason.UNAVAILABLE,
                    "cannot connect to " + engineName + " at " + host + ": " + e.getMessage() + advice,
                    e);
        }
    }

    /** The status, the headers (lower-case names) and the body, already unframed. */
    record Response(int status, Map<String, String> headers, InputStream body) {}

    /**
     * One request on one connection. A watchdog closes the connection when no byte has arrived for the
     * idle timeout: reads from a unix socket channel have no timeout of their own.
     */
    private final class Connection implements Closeable {
        private final InputStream in;
        private final OutputStream out;
        private final Closeable transport;
        private final String hostHeader;
        private final AtomicLong lastProgress = new AtomicLong(System.nanoTime());
        private final Thread watchdog;
        private volatile boolean closed;

        Connection(InputStream in, OutputStream out, Closeable transport, String hostHeader) {
            this.in = new ProgressStream(new BufferedInputStream(in, 64 * 1024));
            this.out = out;
            this.transport = transport;
            this.hostHeader = hostHeader;
            this.watchdog = new Thread(this::watch, "palisade-engine-watchdog");
            this.watchdog.setDaemon(true);
            this.watchdog.start();
        }

        private void watch() {
            long idle = idleTimeout.toNanos();
            while (!closed) {
                long silent = System.nanoTime() - lastProgress.get();
                if (silent >= idle) {
                    closeQuietly();
                    return;
                }
                try {
                    Thread.sleep(Math.max(1, Math.min(1000, (idle - silent) / 1_000_000)));
                } catch (InterruptedException e) {
                    return;
                }
            }
        }

        Response get(String path) throws IOException {
            String request = "GET " + path + " HTTP/1.1\r\nHost: " + hostHeader
                    + "\r\nUser-Agent: palisade\r\nAccept: */*\r\nConnection: close\r\n\r\n";
            out.write(request.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String statusLine = line(in, new int[] {MAX_HEADER_BYTES});
            String[] parts = statusLine.split(" ", 3);
            if (parts.length < 2 || !parts[0].startsWith("HTTP/1.")) {
                throw new IOException("not an HTTP response: " + printable(statusLine));
            }
            int status;
            try {
                status = Integer.parseInt(parts[1]);
            } catch (NumberFormatException e) {
                throw new IOException("not an HTTP status: " + printable(statusLine));
            }
            Map<String, String> headers = new HashMap<>();
            int[] budget = {MAX_HEADER_BYTES};
            for (String header = line(in, budget); !header.isEmpty(); header = line(in, budget)) {
                int colon = header.indexOf(':');
                if (colon > 0) {
                    headers.merge(
                            header.substring(0, colon).strip().toLowerCase(Locale.ROOT),
                            header.substring(colon + 1).strip(),
                            (a, b) -> a + ", " + b);
                }
            }
            return new Response(status, headers, body(headers));
        }

        private InputStream body(Map<String, String> headers) throws IOException {
            String coding = headers.getOrDefault("transfer-encoding", "").toLowerCase(Locale.ROOT);
            if (coding.endsWith("chunked")) {
                return new ChunkedInputStream(in);
            }
            if (!coding.isEmpty() && !coding.equals("identity")) {
                throw new IOException("unsupported transfer coding '" + printable(coding) + "'");
            }
            String length = headers.get("content-length");
            if (length != null) {
                long bytes;
                try {
                    bytes = Long.parseLong(length.strip());
                } catch (NumberFormatException e) {
                    throw new IOException("bad Content-Length '" + printable(length) + "'");
                }
                if (bytes < 0) {
                    throw new IOException("bad Content-Length '" + printable(length) + "'");
                }
                return new ExactLengthStream(in, bytes);
            }
            return in;
        }

        private void closeQuietly() {
            closed = true;
            try {
                transport.close();
            } catch (IOException e) {
                // closing is all that is left to do
            }
        }

        @Override
        public void close() {
            closeQuietly();
            watchdog.interrupt();
        }

        /** Notes the time of every byte that arrives, for the watchdog. */
        private final class ProgressStream extends java.io.FilterInputStream {
            ProgressStream(InputStream in) {
                super(in);
            }

            @Override
            public int read() throws IOException {
                int b = super.read();
                lastProgress.set(System.nanoTime());
                return b;
            }

            @Override
            public int read(byte[] buffer, int offset, int length) throws IOException {
                int n = super.read(buffer, offset, length);
                lastProgress.set(System.nanoTime());
                return n;
            }
        }
    }

    /** One CRLF- (or LF-) terminated line in ISO-8859-1, charged against {@code budget[0]}. */
    static String line(InputStream in, int[] budget) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        while (true) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("the engine closed the connection inside the response headers");
            }
            if (--budget[0] < 0) {
                throw new IOException("response headers longer than " + MAX_HEADER_BYTES + " bytes");
            }
            if (b == '\n') {
                byte[] bytes = line.toByteArray();
                int end = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
                return new String(bytes, 0, end, StandardCharsets.ISO_8859_1);
            }
            line.write(b);
        }
    }

    private static String printable(String text) {
        String cut = text.length() > 80 ? text.substring(0, 80) + "..." : text;
        return cut.replaceAll("[^\\x20-\\x7e]", "?");
    }

    /** A body of exactly {@code length} bytes: fewer is an error, not a short image. */
    static final class ExactLengthStream extends InputStream {
        private final InputStream in;
        private long remaining;

        ExactLengthStream(InputStream in, long length) {
            this.in = in;
            this.remaining = length;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            if (remaining == 0) {
                return -1;
            }
            int n = in.read(buffer, offset, (int) Math.min(length, remaining));
            if (n < 0) {
                throw new IOException("the connection closed " + remaining + " bytes before the end of the body");
            }
            remaining -= n;
            return n;
        }
    }

    /** Chunked transfer coding (RFC 9112 section 7.1): sizes in hex, extensions ignored, trailers skipped. */
    static final class ChunkedInputStream extends InputStream {
        private static final int MAX_LINE = 4096;
        private final InputStream in;
        private long remaining;
        private boolean finished;
        private boolean first = true;

        ChunkedInputStream(InputStream in) {
            this.in = in;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            if (length == 0) {
                return 0;
            }
            if (remaining == 0 && !finished) {
                nextChunk();
            }
            if (finished) {
                return -1;
            }
            int n = in.read(buffer, offset, (int) Math.min(length, remaining));
            if (n < 0) {
                throw new IOException("the connection closed inside a chunk");
            }
            remaining -= n;
            return n;
        }

        private void nextChunk() throws IOException {
            int[] budget = {MAX_LINE};
            if (!first) {
                String end = line(in, budget);
                if (!end.isEmpty()) {
                    throw new IOException("a chunk does not end where its size says");
                }
                budget[0] = MAX_LINE;
            }
            first = false;
            String sizeLine = line(in, budget);
            int semicolon = sizeLine.indexOf(';');
            String hex = (semicolon >= 0 ? sizeLine.substring(0, semicolon) : sizeLine).strip();
            if (hex.isEmpty() || hex.length() > 15 || !hex.matches("[0-9a-fA-F]+")) {
                throw new IOException("bad chunk size '" + printable(sizeLine) + "'");
            }
            remaining = Long.parseLong(hex, 16);
            if (remaining == 0) {
                int[] trailers = {MAX_HEADER_BYTES};
                while (!line(in, trailers).isEmpty()) {
                    // trailer fields carry nothing an export needs
                }
                finished = true;
            }
        }
    }
}
