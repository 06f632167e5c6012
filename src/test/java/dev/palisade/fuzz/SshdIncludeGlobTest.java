package dev.palisade.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import dev.palisade.checks.CheckCatalog;
import dev.palisade.checks.HostChecks;
import dev.palisade.checks.Misconfiguration;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Found by fuzzing: an sshd {@code Include} pattern became a regular expression with only its dots
 * escaped, so a {@code (} or {@code \E} in the scanned root's sshd_config threw out of the host checks
 * (and other metacharacters changed what matched). Only {@code *} and {@code ?} are wildcards.
 */
class SshdIncludeGlobTest {
    private final HostChecks checks = new HostChecks(CheckCatalog.load());

    @Test
    void shouldTakeRegexMetacharactersOfAnIncludeLiterally() {
        MemoryTree root = new MemoryTree()
                .file(
                        "etc/ssh/sshd_config",
                        text("Include bad(\\E[x\nInclude extra+.conf\nInclude sshd_config.d/*.c?nf\n"),
                        0644)
                .file("etc/ssh/sshd_config.d/50-cloud.conf", text("PermitRootLogin yes\n"), 0644)
                .file("etc/ssh/extraa.conf", text("X11Forwarding yes\n"), 0644);

        List<Misconfiguration> found = checks.evaluate(root, Set.of());

        assertThat(found)
                .extracting(m -> m.check().id() + " " + m.path())
                .contains("PAL-5001 etc/ssh/sshd_config.d/50-cloud.conf")
                .noneMatch(s -> s.startsWith("PAL-5004"));
    }

    private static byte[] text(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
