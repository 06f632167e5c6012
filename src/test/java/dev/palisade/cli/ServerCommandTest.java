package dev.palisade.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.palisade.testing.Cli;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServerCommandTest {
    @Test
    void shouldTurnAPostgresqlUrlIntoJdbcsUrlUserAndPassword() {
        ServerCommand.Jdbc jdbc =
                ServerCommand.jdbc("postgresql://scan%40ner:p%3Ass@db.example:6543/palisade?sslmode=require", null);
        assertThat(jdbc.url()).isEqualTo("jdbc:postgresql://db.example:6543/palisade?sslmode=require");
        assertThat(jdbc.user()).isEqualTo("scan@ner");
        assertThat(jdbc.password()).isEqualTo("p:ss");
        ServerCommand.Jdbc fromEnvironment = ServerCommand.jdbc("postgres://palisade@127.0.0.1/palisade", "from-env");
        assertThat(fromEnvironment.url()).isEqualTo("jdbc:postgresql://127.0.0.1/palisade");
        assertThat(fromEnvironment.password()).isEqualTo("from-env");
        assertThat(ServerCommand.jdbc("jdbc:postgresql://h/d", null).url()).isEqualTo("jdbc:postgresql://h/d");
        assertThatThrownBy(() -> ServerCommand.jdbc("mysql://h/d", null)).hasMessageContaining("postgresql://");
        assertThatThrownBy(() -> ServerCommand.jdbc("postgresql://h", null)).hasMessageContaining("postgresql://");
    }

    @Test
    void shouldRefuseToStartWithMissingOrWeakTokensOrABadListenAddress() {
        Cli.Result noTokens =
                Cli.run("server", "--token-env", "NO_SUCH_VARIABLE", "--database", "postgresql://u@127.0.0.1:1/d");
        assertThat(noTokens.exit()).isEqualTo(2);
        assertThat(noTokens.err()).contains("--token-env").contains("$NO_SUCH_VARIABLE is not set");

        String secret = "0123456789abcdef0123456789abcdef";
        Cli.Result badListen = Cli.runWith(
                Map.of("PALISADE_SERVER_TOKENS", "ci scanner " + secret),
                "server",
                "--listen",
                "nowhere",
                "--database",
                "postgresql://u@127.0.0.1:1/d");
        assertThat(badListen.exit()).isEqualTo(2);
        assertThat(badListen.err()).contains("--listen").doesNotContain(secret);

        Cli.Result weak = Cli.runWith(
                Map.of("PALISADE_SERVER_TOKENS", "ci scanner weak-secret"),
                "server",
                "--database",
                "postgresql://u@127.0.0.1:1/d");
        assertThat(weak.exit()).isEqualTo(2);
        assertThat(weak.err()).contains("$PALISADE_SERVER_TOKENS entry 1").doesNotContain("weak-secret");
    }

    @Test
    void shouldRefuseAnSshKeyWithoutKnownHostsAndFilesThatAreMissing(@TempDir Path temp) throws Exception {
        Map<String, String> tokens = Map.of("PALISADE_SERVER_TOKENS", "ci scanner 0123456789abcdef0123456789abcdef");
        Path key = Files.writeString(temp.resolve("id_ed25519"), "not read before the first scan");
        Path known = Files.writeString(temp.resolve("known_hosts"), "");
        String database = "postgresql://u@127.0.0.1:1/d";

        Cli.Result keyAlone = Cli.runWith(tokens, "server", "--database", database, "--ssh-key", key.toString());
        assertThat(keyAlone.exit()).isEqualTo(2);
        assertThat(keyAlone.err()).contains("--ssh-key needs --ssh-known-hosts");

        Cli.Result knownAlone =
                Cli.runWith(tokens, "server", "--database", database, "--ssh-known-hosts", known.toString());
        assertThat(knownAlone.exit()).isEqualTo(2);
        assertThat(knownAlone.err()).contains("--ssh-known-hosts needs --ssh-key");

        Cli.Result missingKey = Cli.runWith(
                tokens,
                "server",
                "--database",
                database,
                "--ssh-key",
                temp.resolve("absent").toString(),
                "--ssh-known-hosts",
                known.toString());
        assertThat(missingKey.exit()).isEqualTo(2);
        assertThat(missingKey.err()).contains("--ssh-key: " + temp.resolve("absent") + ": no such file");
    }

    @Test
    void shouldWriteOneJsonObjectPerLogLineWhenNoPersonIsWatching() throws Exception {
        java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
        Environment environment = new Environment(
                new java.io.PrintStream(new java.io.ByteArrayOutputStream()),
                new java.io.PrintStream(err, true, java.nio.charset.StandardCharsets.UTF_8),
                java.io.InputStream.nullInputStream(),
                Map.of(),
                java.time.Clock.fixed(java.time.Instant.parse("2026-03-01T10:00:00Z"), java.time.ZoneOffset.UTC),
                false);
        ServerCommand command = new ServerCommand(environment);
        command.logFormat = "auto";
        command.logger().warn("scan of \"x\" failed:\nline two");
        command.logger().info("listening");
        String[] lines = err.toString(java.nio.charset.StandardCharsets.UTF_8).split("\n");
        assertThat(lines).hasSize(2);
        com.fasterxml.jackson.databind.JsonNode first =
                new com.fasterxml.jackson.databind.ObjectMapper().readTree(lines[0]);
        assertThat(first.path("time").asText()).isEqualTo("2026-03-01T10:00:00Z");
        assertThat(first.path("level").asText()).isEqualTo("warn");
        assertThat(first.path("message").asText()).isEqualTo("scan of \"x\" failed:\nline two");
        assertThat(new com.fasterxml.jackson.databind.ObjectMapper()
                        .readTree(lines[1])
                        .path("level")
                        .asText())
                .isEqualTo("info");
        command.logFormat = "yaml";
        assertThatThrownBy(command::logger).hasMessageContaining("--log-format");
    }

    @Test
    void shouldRefuseTheClientModeWhereThereIsNoSingleInventoryToSend() {
        Cli.Result registry = Cli.runWith(
                Map.of("PALISADE_TOKEN", "t"),
                "registry",
                "127.0.0.1:1/app",
                "--all-tags",
                "--server",
                "http://127.0.0.1:1");
        assertThat(registry.exit()).isEqualTo(2);
        assertThat(registry.err()).contains("--server is not supported by 'registry'");
        Cli.Result config = Cli.runWith(
                Map.of("PALISADE_TOKEN", "t"),
                "config",
                "src/test/resources/fixtures/checks",
                "--server",
                "http://127.0.0.1:1");
        assertThat(config.exit()).isEqualTo(2);
        // config has no inventory to send: it does not even have the option
        assertThat(config.err()).startsWith("Unknown options: '--server', 'http://127.0.0.1:1'");
    }
}
