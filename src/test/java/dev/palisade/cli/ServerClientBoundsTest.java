package dev.palisade.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import dev.palisade.inventory.Inventory;
import dev.palisade.report.ReportFormat;
import dev.palisade.report.ScanReport;
import dev.palisade.source.ArtifactDescription;
import dev.palisade.source.ArtifactKind;
import dev.palisade.source.DeploymentModel;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What answers at the server's address may be hostile: the client reads its answer only up to a bound. */
class ServerClientBoundsTest {
    private static final int MIB = 1024 * 1024;
    private final AtomicLong sent = new AtomicLong();
    private HttpServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    /** Answers every request with {@code status} and {@code answerBytes} bytes of report, streamed. */
    private String serve(int status, long answerBytes) throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            exchange.getRequestBody().readAllBytes();
            exchange.getResponseHeaders().add("X-Palisade-Exit-Code", "0");
            exchange.sendResponseHeaders(status, 0); // chunked: no length announced
            byte[] chunk = new byte[64 * 1024];
            java.util.Arrays.fill(chunk, (byte) 'x');
            try (OutputStream out = exchange.getResponseBody()) {
                for (long left = answerBytes; left > 0; left -= chunk.length) {
                    out.write(chunk, 0, (int) Math.min(chunk.length, left));
                    sent.addAndGet(Math.min(chunk.length, left));
                }
            } catch (IOException e) {
                // the client hung up: what the bound is for
            }
        });
        server.start();
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    private static ScanReport inventory() {
        Inventory inventory = new Inventory(
                new ArtifactDescription("app", ArtifactKind.ROOTFS, DeploymentModel.VM, List.of(), null),
                null,
                List.of(),
                List.of());
        return ScanReport.inventoryOnly(inventory, Instant.EPOCH, "test");
    }

    private ServerClientOptions client(String url, long maxAnswerBytes) {
        ServerClientOptions options = new ServerClientOptions();
        options.server = url;
        options.token = "0123456789abcdef0123456789abcdef";
        options.maxAnswerBytes = maxAnswerBytes;
        return options;
    }

    @Test
    void shouldStopReadingAnUploadAnswerLargerThanItsBound() throws Exception {
        String url = serve(201, 64L * MIB);

        assertThatThrownBy(
                        () -> client(url, MIB).submit(inventory(), "app", ReportFormat.JSON, null, false, 0, Map.of()))
                .isInstanceOf(IOException.class)
                .hasMessage("the server's answer is larger than the limit of " + MIB + " bytes");
        assertThat(sent.get()).isLessThan(16L * MIB);
    }

    @Test
    void shouldReadAnUploadAnswerWithinItsBoundWhole() throws Exception {
        String url = serve(201, MIB);

        ServerClientOptions.Answer answer =
                client(url, MIB).submit(inventory(), "app", ReportFormat.JSON, null, false, 0, Map.of());

        assertThat(answer.report()).hasSize(MIB);
        assertThat(answer.exitCode()).isZero();
    }

    @Test
    void shouldBoundTheAnswerToARefusedUploadToo() throws Exception {
        String url = serve(500, 64L * MIB);

        assertThatThrownBy(
                        () -> client(url, MIB).submit(inventory(), "app", ReportFormat.JSON, null, false, 0, Map.of()))
                .hasMessageContaining("larger than the limit");
    }

    @Test
    void shouldBoundAGetAnswer() throws Exception {
        String url = serve(200, 64L * MIB);

        assertThatThrownBy(() -> ServerClientOptions.get(url, "t", "/api/v1/assessment", MIB))
                .hasMessageContaining("larger than the limit of " + MIB + " bytes");
        assertThat(new String(ServerClientOptions.get(serve2(), "t", "/x", MIB), StandardCharsets.UTF_8))
                .isEqualTo("x".repeat(1000));
    }

    private String serve2() throws IOException {
        server.stop(0);
        return serve(200, 1000);
    }
}
