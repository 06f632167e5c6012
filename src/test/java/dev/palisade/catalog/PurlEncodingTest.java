package dev.palisade.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.packageurl.PackageURL;
import com.github.packageurl.PackageURLBuilder;
import dev.palisade.inventory.Ecosystem;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Purls are written by {@link Purls#canonical}: what packageurl-java 1.5.0 writes where it writes it right, and a
 * purl that reads back to the same values where it does not (control characters, non-ASCII).
 */
class PurlEncodingTest {

    @Test
    void shouldWriteWhatPackageUrlWritesForPrintableAscii() throws Exception {
        Random random = new Random(8);
        String[] types = {"npm", "pypi", "maven", "deb", "rpm", "golang", "gem", "cargo", "nuget", "composer", "apk"};
        for (int i = 0; i < 20_000; i++) {
            String type = types[random.nextInt(types.length)];
            PackageURLBuilder builder = PackageURLBuilder.aPackageURL()
                    .withType(type)
                    .withName(ascii(random, 1))
                    .withVersion(ascii(random, 1))
                    .withQualifier("arch", ascii(random, 1))
                    .withQualifier("distro", ascii(random, 1));
            if (type.equals("maven") || random.nextBoolean()) {
                builder.withNamespace(ascii(random, 1) + (random.nextBoolean() ? "/" + ascii(random, 1) : ""));
            }
            PackageURL purl = builder.build();

            assertThat(Purls.canonical(purl)).isEqualTo(purl.canonicalize());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"4.17.15\n", "1.0\u0000", "1.0\u0130", "\u00e9t\u00e9-2", "1.0\u007f", "v\u4e2d1"})
    void shouldReadBackAVersionPackageUrlWouldMangle(String version) throws Exception {
        String written = Purls.of(Ecosystem.NPM, null, "lodash", version, Map.of("arch", "x\u0001"));

        PackageURL read = Purls.parse(written);
        assertThat(read.getVersion()).isEqualTo(version);
        assertThat(read.getQualifiers()).containsEntry("arch", "x\u0001");
        assertThat(written).doesNotContain("%FFFFFF").matches("[\\x21-\\x7e]+");
    }

    /** At least {@code min} printable ASCII characters (0x20 to 0x7e), the range packageurl-java encodes right. */
    private static String ascii(Random random, int min) {
        StringBuilder s = new StringBuilder();
        int length = min + random.nextInt(8);
        while (s.length() < length) {
            char c = (char) (0x20 + random.nextInt(0x5f));
            if (c != '/') {
                s.append(c);
            }
        }
        return s.toString();
    }
}
