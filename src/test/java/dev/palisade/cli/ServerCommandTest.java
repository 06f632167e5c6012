package dev.palisade.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.palisade.testing.Cli;
import java.util.Map;
import org.junit.jupiter.api.Test;

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
        assertThat(config.err()).contains("configuration files alone have none");
    }
}
