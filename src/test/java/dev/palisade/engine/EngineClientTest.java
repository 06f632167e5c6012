package dev.palisade.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.palisade.source.ArtifactLimitException;
import dev.palisade.source.Deadline;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The engine client against a fake engine on a unix socket that answers with bytes the test chooses. */
class EngineClientTest {
    static final Duration IDLE = Duration.ofSeconds(5);

    @TempDir
    Path tmp;

    /** Serves one connection: reads the request head, then writes {@code response} (or stalls when null). */
    final class FakeEngine implements AutoCloseable {
        final Path socket;
        final ServerSocketChannel server;
        final CompletableFuture<String> request = new CompletableFuture<>();

        FakeEngine(byte[] response, boolean stallAfter) throws IOException {
            socket = Files.createTempDirectory(tmp, "engine").resolve("engine.sock");
            server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
            server.bind(UnixDomainSocketAddress.of(socket));
            Thread thread = new Thread(() -> {
                try (SocketChannel channel = server.accept()) {
                    ByteArrayOutputStream head = new ByteArrayOutputStream();
                    ByteBuffer one = ByteBuffer.allocate(1);
                    while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
                        one.clear();
                        if (channel.read(one) < 0) {
                            break;
                        }
                        head.write(one.get(0));
                    }
                    request.complete(head.toString(StandardCharsets.ISO_8859_1));
                    channel.write(ByteBuffer.wrap(response));
                    if (stallAfter) {
                        Thread.sleep(60_000);
                    }
                } catch (IOException | InterruptedException e) {
                    request.completeExceptionally(e);
                }
            });
            thread.setDaemon(true);
            thread.start();
        }

        EngineClient client(Duration idle) {
            return new EngineClient(new EngineHost(socket, "docker", -1), "Docker", idle);
        }

        @Override
        public void close() throws IOException {
            server.close();
        }
    }

    Path export(String response) throws Exception {
        return export(response.getBytes(StandardCharsets.ISO_8859_1), Long.MAX_VALUE);
    }

    Path export(byte[] response, long maxBytes) throws Exception {
        try (FakeEngine engine = new FakeEngine(response, false)) {
            Path target = tmp.resolve("export.tar");
            engine.client(IDLE).exportImage("team/app:1.0", target, maxBytes, Deadline.none());
            assertThat(engine.request.get(5, TimeUnit.SECONDS))
                    .startsWith("GET /images/team/app:1.0/get HTTP/1.1\r\n")
                    .contains("\r\nConnection: close\r\n");
            return target;
        }
    }

    @Test
    void shouldDecodeChunksWithExtensionsAndTrailers() throws Exception {
        Path tar = export("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Type: application/x-tar\r\n\r\n"
                + "5;name=value\r\nhello\r\n" + "1\r\n \r\n" + "A\r\n0123456789\r\n" + "0\r\nX-Trailer: t\r\n\r\n");

        assertThat(Files.readString(tar)).isEqualTo("hello 0123456789");
    }

    @Test
    void shouldReadABodyOfContentLengthOrUpToTheEndOfTheConnection() throws Exception {
        assertThat(Files.readString(export("HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nabcdef")))
                .isEqualTo("abc");
        assertThat(Files.readString(export("HTTP/1.0 200 OK\r\n\r\nuntil the end")))
                .isEqualTo("until the end");
    }

    @Test
    void shouldRefuseAFramingThatDoesNotAddUp() {
        for (String response : new String[] {
            "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nshort",
            "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nhello\r\n0\r\n\r\n",
            "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhelloXX0\r\n\r\n",
            "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nffffffffffffffffff\r\n",
            "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n10\r\ncut",
            "HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\n",
            "HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n",
        }) {
            assertThatThrownBy(() -> export(response))
                    .as(response)
                    .isInstanceOfSatisfying(EngineException.class, e -> assertThat(e.reason())
                            .isEqualTo(EngineException.Reason.FAILED));
        }
    }

    @Test
    void shouldRefuseHeadersWithoutEnd() {
        String endless = "HTTP/1.1 200 OK\r\nX-Long: " + "a".repeat(EngineClient.MAX_HEADER_BYTES) + "\r\n\r\n";
        assertThatThrownBy(() -> export(endless))
                .isInstanceOf(EngineException.class)
                .hasMessageContaining("headers longer than");
    }

    @Test
    void shouldSayTheEngineHasNoSuchImageInItsOwnWords() {
        String body =
                "{\"cause\":\"image not known\",\"message\":\"failed to find image team/app:1.0\",\"response\":404}";
        assertThatThrownBy(() -> export("HTTP/1.1 404 Not Found\r\nContent-Type: application/json\r\nContent-Length: "
                        + body.length() + "\r\n\r\n" + body))
                .isInstanceOfSatisfying(
                        EngineException.class, e -> assertThat(e.reason()).isEqualTo(EngineException.Reason.NOT_FOUND))
                .hasMessageEndingWith("/engine.sock has no image team/app:1.0 (failed to find image team/app:1.0)")
                .hasMessageStartingWith("Docker at unix://" + tmp);
    }

    @Test
    void shouldStopAnExportLargerThanTheLimit() {
        byte[] response = ("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n" + "x".repeat(100))
                .getBytes(StandardCharsets.ISO_8859_1);
        assertThatThrownBy(() -> export(response, 50))
                .isInstanceOf(ArtifactLimitException.class)
                .isNotInstanceOf(EngineException.class);
    }

    @Test
    void shouldGiveUpOnAnEngineThatFallsSilent() throws Exception {
        byte[] head = "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nxx".getBytes(StandardCharsets.ISO_8859_1);
        try (FakeEngine engine = new FakeEngine(head, true)) {
            long start = System.nanoTime();
            assertThatThrownBy(() -> engine.client(Duration.ofMillis(300))
                            .exportImage("team/app:1.0", tmp.resolve("export.tar"), Long.MAX_VALUE, Deadline.none()))
                    .isInstanceOf(EngineException.class)
                    .hasMessageContaining("broke off the export");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
        }
    }

    @Test
    void shouldSayWhenNothingListens() {
        EngineClient client =
                new EngineClient(new EngineHost(tmp.resolve("absent.sock"), "docker", -1), "Docker", IDLE);
        assertThatThrownBy(() -> client.exportImage("a:1", tmp.resolve("x.tar"), 10, Deadline.none()))
                .isInstanceOfSatisfying(EngineException.class, e -> assertThat(e.reason())
                        .isEqualTo(EngineException.Reason.UNAVAILABLE))
                .hasMessageStartingWith("cannot connect to Docker at unix://" + tmp.resolve("absent.sock"))
                .hasMessageEndingWith("(is Docker running?)");
    }

    @Test
    void shouldFindEnginesAsDockerAndPodmanDo() throws Exception {
        assertThat(EngineHost.docker(Map.of(), null).toString()).isEqualTo("unix:///var/run/docker.sock");
        assertThat(EngineHost.docker(Map.of("DOCKER_HOST", "tcp://10.0.0.5:2376"), null))
                .isEqualTo(new EngineHost(null, "10.0.0.5", 2376));
        assertThat(EngineHost.docker(Map.of("DOCKER_HOST", "tcp://10.0.0.5:2376"), "unix:///x/d.sock")
                        .socket())
                .isEqualTo(Path.of("/x/d.sock"));
        assertThatThrownBy(() -> EngineHost.docker(Map.of("DOCKER_HOST", "ssh://me@host"), null))
                .hasMessageContaining("DOCKER_HOST 'ssh://me@host'");
        assertThatThrownBy(
                        () -> EngineHost.docker(Map.of("DOCKER_HOST", "tcp://h:2376", "DOCKER_TLS_VERIFY", "1"), null))
                .hasMessageContaining("TLS");

        Path runtime = Files.createDirectories(tmp.resolve("run/podman")).getParent();
        Files.createFile(runtime.resolve("podman/podman.sock"));
        assertThat(EngineHost.podman(Map.of("XDG_RUNTIME_DIR", runtime.toString()), null)
                        .socket())
                .isEqualTo(runtime.resolve("podman/podman.sock"));
        assertThat(EngineHost.podman(Map.of("XDG_RUNTIME_DIR", runtime.toString()), "/elsewhere.sock")
                        .socket())
                .isEqualTo(Path.of("/elsewhere.sock"));
    }

    @Test
    void shouldAskForOneTagAndEncodeWhatIsNotPartOfAName() {
        assertThat(dev.palisade.scan.ImageSource.engineName("debian")).isEqualTo("debian:latest");
        assertThat(dev.palisade.scan.ImageSource.engineName("localhost:5000/team/app"))
                .isEqualTo("localhost:5000/team/app:latest");
        assertThat(dev.palisade.scan.ImageSource.engineName("team/app:1.0")).isEqualTo("team/app:1.0");
        assertThat(dev.palisade.scan.ImageSource.engineName("07596df1209a")).isEqualTo("07596df1209a");
        assertThat(EngineClient.pathSegment("a b/c?d#e")).isEqualTo("a%20b/c%3Fd%23e");
    }
}
