package dev.palisade.version;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Each scheme against osv-scanner's version-comparison fixtures (see resources/.../version/PROVENANCE.md).
 * A line {@code a OP b} says how {@code a} compares with {@code b}; both directions are checked. Where
 * Palisade deliberately differs, the line starts with {@code !} (the ecosystem's own implementation
 * rejects a version that osv-scanner reads leniently, so Palisade reports it as not compared) or with
 * {@code ~OP} (the result Palisade gives instead, with the reason in a comment).
 */
class OsvScannerVectorsTest {
    record Vector(String line, String left, String right, int expected, boolean invalid) {}

    static List<Vector> vectors(String resource) throws IOException {
        try (InputStream in = OsvScannerVectorsTest.class.getResourceAsStream(resource)) {
            List<Vector> vectors = new ArrayList<>();
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (line.isBlank() || line.startsWith("# ") || line.startsWith("// ")) {
                    continue;
                }
                String content = line.contains("  # ") ? line.substring(0, line.indexOf("  # ")) : line;
                boolean invalid = content.startsWith("! ");
                String override = null;
                if (content.startsWith("~")) {
                    override = content.substring(1, 2);
                    content = content.substring(3);
                } else if (invalid) {
                    content = content.substring(2);
                }
                String[] f = content.strip().split(" ");
                assertThat(f).as(line).hasSize(3);
                String op = override != null ? override : f[1];
                vectors.add(new Vector(line, f[0], f[2], op.equals("<") ? -1 : op.equals(">") ? 1 : 0, invalid));
            }
            return vectors;
        }
    }

    @ParameterizedTest(name = "{0} with {1}")
    @CsvSource({
        "osv-scanner-semver.txt,semver", "osv-scanner-semver.txt,go", "osv-scanner-nuget.txt,nuget",
        "osv-scanner-debian.txt,deb", "osv-scanner-rubygems.txt,gem", "osv-scanner-packagist.txt,composer",
        "osv-scanner-redhat.txt,rpm"
    })
    void shouldOrderLikeOsvScanner(String resource, String schemeId) throws Exception {
        VersionScheme scheme = HostileVersionsTest.schemes().stream()
                .filter(s -> s.id().equals(schemeId))
                .findFirst()
                .orElseThrow();
        List<String> failures = new ArrayList<>();
        for (Vector v : vectors(resource)) {
            try {
                int forward = scheme.compare(v.left(), v.right());
                int backward = scheme.compare(v.right(), v.left());
                if (v.invalid() || forward != v.expected() || backward != -v.expected()) {
                    failures.add(v.line() + " -> " + forward + "/" + backward);
                }
            } catch (InvalidVersionException e) {
                if (!v.invalid()) {
                    failures.add(v.line() + " -> " + e.getMessage());
                }
            }
        }
        assertThat(failures).isEmpty();
    }
}
