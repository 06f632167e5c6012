package dev.palisade.source.remote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SshDestinationTest {
    @Test
    void shouldParseUserHostAndPort() {
        assertThat(SshDestination.parse("ssh://admin@db1.example.com:2222"))
                .isEqualTo(new SshDestination("admin", "db1.example.com", 2222));
        assertThat(SshDestination.parse("ssh://root@10.0.0.5")).isEqualTo(new SshDestination("root", "10.0.0.5", 22));
        assertThat(SshDestination.parse("ssh://ops@[2001:db8::1]:22/"))
                .isEqualTo(new SshDestination("ops", "2001:db8::1", 22));
        assertThat(new SshDestination("ops", "2001:db8::1", 2200)).hasToString("ssh://ops@[2001:db8::1]:2200");
        assertThat(new SshDestination("ops", "h", 22)).hasToString("ssh://ops@h");
    }

    @Test
    void shouldRefuseWhatIsNotAnSshAddressWithoutRepeatingAPassword() {
        assertThatThrownBy(() -> SshDestination.parse("ssh://root:s3cret@host"))
                .hasMessageContaining("passwords are never taken")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("s3cret"));
        assertThatThrownBy(() -> SshDestination.parse("ssh://host")).hasMessageContaining("names no user");
        assertThatThrownBy(() -> SshDestination.parse("ssh://root@host/etc")).hasMessageContaining("has a path");
        assertThatThrownBy(() -> SshDestination.parse("ssh://root@host:0")).hasMessageContaining("port");
        assertThatThrownBy(() -> SshDestination.parse("ssh://-oProxyCommand=x@host"))
                .hasMessageContaining("user name");
        assertThatThrownBy(() -> SshDestination.parse("sftp://root@host")).hasMessageContaining("not an ssh://");
        assertThatThrownBy(() -> SshDestination.parse("ssh://a b@host")).hasMessageContaining("not a valid address");
    }
}
