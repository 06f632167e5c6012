package dev.palisade.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.palisade.report.CycloneDxWriter;
import dev.palisade.report.ReportFormat;
import dev.palisade.report.ScanReport;
import dev.palisade.source.DeploymentModel;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Option;

/**
 * The scanning commands as clients of {@code palisade server}: the inventory is built here, only the
 * inventory (CycloneDX) is sent, and the server's match comes back in the format asked for.
 */
final class ServerClientOptions {
    static final String TOKEN_VARIABLE = "PALISADE_TOKEN";

    @Option(
            names = "--server",
            paramLabel = "URL",
            description =
                    "Send the inventory to this Palisade server, which matches and stores it; no local vulnerability database is needed.")
    @Nullable
    String server;

    @Option(
            names = "--token",
            paramLabel = "TOKEN",
            description = "The server's API token (default: $" + TOKEN_VARIABLE + ").")
    @Nullable
    String token;

    @Option(
            names = "--application",
            paramLabel = "NAME",
            defaultValue = "default",
            description = "With --server: the application the target belongs to (default: ${DEFAULT-VALUE}).")
    String application = "default";

    @Option(
            names = "--target-name",
            paramLabel = "NAME",
            description = "With --server: the target's name (default: what was scanned).")
    @Nullable
    String targetName;

    @Option(
            names = "--model",
            paramLabel = "MODEL",
            description =
                    "With --server: the deployment model, function, container or vm (default: the command's: image is a container, "
                            + "rootfs and host a vm, function a function).")
    @Nullable
    String model;

    /** The most of the server's answer to an upload that is read: a report, so as large as a big one. */
    static final long MAX_ANSWER_BYTES = 256L * 1024 * 1024;

    /** The bound {@link #submit} reads the server's answer to; tests lower it. */
    long maxAnswerBytes = MAX_ANSWER_BYTES;

    boolean enabled() {
        return server != null;
    }

    /** What the server answered: the report's bytes and the exit code under the policy sent. */
    record Answer(byte[] report, int exitCode) {}

    /**
     * Sends the inventory of {@code inventoryReport} and returns the server's report on it.
     *
     * @param severities the severities to report (null for all), as {@code --severity} gives them
     */
    Answer submit(
            ScanReport inventoryReport,
            String name,
            ReportFormat format,
            @Nullable List<String> severities,
            boolean ignoreUnfixed,
            int exitCode,
            java.util.Map<String, String> variables)
            throws IOException {
        return submit(
                inventoryReport,
                targetName != null ? targetName : name,
                application,
                format,
                severities,
                ignoreUnfixed,
                exitCode,
                variables);
    }

    /** As {@link #submit(ScanReport, String, ReportFormat, List, boolean, int, java.util.Map)}, to a given application and target. */
    Answer submit(
            ScanReport inventoryReport,
            String target,
            String application,
            ReportFormat format,
            @Nullable List<String> severities,
            boolean ignoreUnfixed,
            int exitCode,
            java.util.Map<String, String> variables)
            throws IOException {
        String server = java.util.Objects.requireNonNull(this.server, "submit() is only called with --server");
        String bearer = token != null ? token : variables.get(TOKEN_VARIABLE);
        if (bearer == null || bearer.isBlank()) {
            throw new IllegalArgumentException("--server needs a token: --token TOKEN or $" + TOKEN_VARIABLE);
        }
        DeploymentModel chosen =
                deploymentModel(inventoryReport.inventory().artifact().model());
        ByteArrayOutputStream cycloneDx = new ByteArrayOutputStream();
        new CycloneDxWriter().write(inventoryReport, cycloneDx);
        StringBuilder query = new StringBuilder()
                .append("model=")
                .append(chosen.name().toLowerCase(Locale.ROOT))
                .append("&target=")
                .append(encode(target))
                .append("&kind=")
                .append(inventoryReport.inventory().artifact().kind().name().toLowerCase(Locale.ROOT))
                .append("&format=")
                .append(format.cliName())
                .append("&exit-code=")
                .append(exitCode);
        if (severities != null && !severities.isEmpty()) {
            query.append("&severity=").append(encode(String.join(",", severities)));
        }
        if (ignoreUnfixed) {
            query.append("&ignore-unfixed=true");
        }
        URI uri;
        try {
            String base = server.endsWith("/") ? server.substring(0, server.length() - 1) : server;
            uri = URI.create(base + "/api/v1/applications/" + encode(application) + "/inventories?" + query);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--server: not a URL: '" + server + "'");
        }
        if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())) {
            throw new IllegalArgumentException("--server: use an http:// or https:// URL");
        }
        HttpRequest request = HttpRequest.newBuilder(uri)
                .timeout(Duration.ofMinutes(10))
                .header("Authorization", "Bearer " + bearer.strip())
                .header("Content-Type", "application/vnd.cyclonedx+json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(cycloneDx.toByteArray()))
                .build();
        Exchange response = exchange(request, server, maxAnswerBytes);
        if (response.status() != 201) {
            throw new IOException(
                    "the server refused the inventory (" + response.status() + "): " + errorMessage(response.body()));
        }
        String exitHeader =
                response.headers().firstValue("X-Palisade-Exit-Code").orElse("0");
        if (!exitHeader.matches("[0-9]{1,3}")) {
            throw new IOException("the server answered an exit code that is not one: '"
                    + dev.palisade.report.TerminalText.escape(
                            exitHeader.length() > 40 ? exitHeader.substring(0, 40) : exitHeader)
                    + "'");
        }
        int code = Integer.parseInt(exitHeader);
        return new Answer(response.body(), code);
    }

    /**
     * {@code GET pathAndQuery} on the server with a token, the answer's body bounded by {@code maxBytes};
     * anything but 200 is an error with the server's message.
     */
    static byte[] get(String server, String bearer, String pathAndQuery, long maxBytes) throws IOException {
        URI uri;
        try {
            String base = server.endsWith("/") ? server.substring(0, server.length() - 1) : server;
            uri = URI.create(base + pathAndQuery);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--server: not a URL: '" + server + "'");
        }
        if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())) {
            throw new IllegalArgumentException("--server: use an http:// or https:// URL");
        }
        HttpRequest request = HttpRequest.newBuilder(uri)
                .timeout(Duration.ofMinutes(10))
                .header("Authorization", "Bearer " + bearer.strip())
                .GET()
                .build();
        Exchange response = exchange(request, server, maxBytes);
        if (response.status() != 200) {
            throw new IOException("the server answered " + response.status() + ": " + errorMessage(response.body()));
        }
        return response.body();
    }

    /** A server's answer, its body read up to a bound. */
    private record Exchange(int status, HttpHeaders headers, byte[] body) {}

    /**
     * Sends {@code request} and reads the answer's body up to {@code maxBytes}: a server (or whatever
     * answers at its address) cannot make the client hold an unbounded body.
     */
    private static Exchange exchange(HttpRequest request, String server, long maxBytes) throws IOException {
        HttpResponse<java.io.InputStream> response;
        try {
            response = HttpClient.newBuilder()
                    .connectTimeout(Duration.ofSeconds(30))
                    .build()
                    .send(request, HttpResponse.BodyHandlers.ofInputStream());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for the server");
        } catch (IOException e) {
            throw new IOException("cannot reach the server at " + server + ": " + e.getMessage(), e);
        }
        try (java.io.InputStream in = response.body()) {
            byte[] body = dev.palisade.source.LimitedInputStream.readAll(in, maxBytes, "the server's answer");
            return new Exchange(response.statusCode(), response.headers(), body);
        }
    }

    private DeploymentModel deploymentModel(DeploymentModel ofArtifact) {
        if (model != null) {
            return switch (model.toLowerCase(Locale.ROOT)) {
                case "function" -> DeploymentModel.FUNCTION;
                case "container" -> DeploymentModel.CONTAINER;
                case "vm" -> DeploymentModel.VM;
                default ->
                    throw new IllegalArgumentException("--model: use function, container or vm, not '" + model + "'");
            };
        }
        if (ofArtifact == DeploymentModel.UNSPECIFIED) {
            throw new IllegalArgumentException(
                    "--server: say which deployment model this target is with --model function|container|vm");
        }
        return ofArtifact;
    }

    private static String errorMessage(byte[] body) {
        try {
            JsonNode error = new ObjectMapper().readTree(body);
            if (error != null && error.hasNonNull("error")) {
                return error.get("error").asText();
            }
        } catch (IOException e) {
            // not the server's JSON error: said as it is, shortened
        }
        String text = new String(body, StandardCharsets.UTF_8);
        return text.length() > 300 ? text.substring(0, 300) + "..." : text;
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
