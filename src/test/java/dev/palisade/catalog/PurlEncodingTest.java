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

    /** Names are lowercased by the parser for some types: escaped UTF-8 must survive that (Cyrillic, é). */
    @ParameterizedTest
    @ValueSource(strings = {"golang", "deb", "pypi", "npm"})
    void shouldReadBackANonAsciiNameOfATypeWhoseNamesAreLowercased(String type) throws Exception {
        Ecosystem ecosystem = Ecosystem.fromPurlType(type).orElseThrow();
        String namespace = type.equals("golang") ? "example.com" : type.equals("deb") ? "debian" : null;
        String written = Purls.of(ecosystem, namespace, "caf\u00e9-\u0434\u0430", "1.0", Map.of());

        assertThat(Purls.parse(written).getName()).isEqualTo("caf\u00e9-\u0434\u0430");
        assertThat(Purls.canonical(Purls.parse(written))).isEqualTo(written);
    }

    @Test
    void shouldLeaveEscapesThatAreNotUtf8ToThePackageUrlReading() throws Exception {
        assertThat(Purls.decodeEscapedUtf8("pkg:npm/x@1.0%E9%2B")).isEqualTo("pkg:npm/x@1.0%E9%2B");
        assertThat(Purls.decodeEscapedUtf8("pkg:npm/x@1.0%C3%A9%2B%")).isEqualTo("pkg:npm/x@1.0\u00e9%2B%");
        assertThat(Purls.parse("pkg:npm/x@1.0%E9").getVersion()).isEqualTo("1.0\u00e9");
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
