package dev.palisade.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TokensTest {
    private static final String LONG = "0123456789abcdef0123456789abcdef";

    @Test
    void shouldKnowEachTokenByItsHashAndNameItsCaller() {
        Tokens tokens = Tokens.parse(
                "# comment\n\nci scanner " + LONG + "\nlead ADMIN " + LONG + "x;auditor viewer " + LONG + "y\n",
                "file");
        assertThat(tokens.size()).isEqualTo(3);
        assertThat(tokens.authenticate("Bearer " + LONG)).contains(new Tokens.Caller("ci", Tokens.Role.SCANNER));
        assertThat(tokens.authenticate("bearer " + LONG + "x")).contains(new Tokens.Caller("lead", Tokens.Role.ADMIN));
        assertThat(tokens.authenticate("Bearer " + LONG + "z")).isEmpty();
        assertThat(tokens.authenticate(LONG)).isEmpty();
        assertThat(tokens.authenticate("Basic " + LONG)).isEmpty();
        assertThat(tokens.authenticate(null)).isEmpty();
    }

    @Test
    void shouldLetEachRoleDoWhatTheWeakerRolesMay() {
        assertThat(Tokens.Role.ADMIN.allows(Tokens.Role.VIEWER)).isTrue();
        assertThat(Tokens.Role.SCANNER.allows(Tokens.Role.VIEWER)).isTrue();
        assertThat(Tokens.Role.SCANNER.allows(Tokens.Role.ADMIN)).isFalse();
        assertThat(Tokens.Role.VIEWER.allows(Tokens.Role.SCANNER)).isFalse();
    }

    @Test
    void shouldRefuseWeakOrMalformedEntriesWithoutRepeatingTheSecret() {
        assertThatThrownBy(() -> Tokens.parse("ci scanner short-secret-value", "tokens.txt"))
                .hasMessageContaining("tokens.txt entry 1")
                .hasMessageContaining("shorter than")
                .hasMessageNotContaining("short-secret-value");
        assertThatThrownBy(() -> Tokens.parse("ci root " + LONG, "f"))
                .hasMessageContaining("unknown role 'root'")
                .hasMessageNotContaining(LONG);
        assertThatThrownBy(() -> Tokens.parse("ci scanner " + LONG + "\nother viewer " + LONG, "f"))
                .hasMessageContaining("entry 2")
                .hasMessageContaining("twice")
                .hasMessageNotContaining(LONG);
        assertThatThrownBy(() -> Tokens.parse("ci scanner", "f")).hasMessageContaining("NAME ROLE TOKEN");
        assertThatThrownBy(() -> Tokens.parse("../x scanner " + LONG, "f")).hasMessageContaining("name");
        assertThatThrownBy(() -> Tokens.parse("# nothing\n", "f")).hasMessageContaining("no token");
    }
}
