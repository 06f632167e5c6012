package dev.palisade.checks;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SecretCollectorHostKeyTest {
    @Test
    void shouldTellAHostsOwnSshKeysByTheirPath() {
        assertThat(SecretCollector.isSshHostKey("etc/ssh/ssh_host_ed25519_key")).isTrue();
        assertThat(SecretCollector.isSshHostKey("etc/ssh/ssh_host_rsa_key")).isTrue();
        assertThat(SecretCollector.isSshHostKey("etc/ssh/ssh_host__key")).isFalse();
        assertThat(SecretCollector.isSshHostKey("etc/ssh/ssh_host_key")).isFalse();
        assertThat(SecretCollector.isSshHostKey("etc/ssh/ssh_host_RSA_key")).isFalse();
        assertThat(SecretCollector.isSshHostKey("etc/ssh/ssh_host_rsa_key.pub")).isFalse();
        assertThat(SecretCollector.isSshHostKey("etc/ssh/ssh_host_a_b_key")).isFalse();
        assertThat(SecretCollector.isSshHostKey("home/etc/ssh/ssh_host_rsa_key"))
                .isFalse();
    }
}
