package dev.palisade.version;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/** Each scheme against its upstream project's own test vectors (see resources/.../version/PROVENANCE.md). */
class VersionSchemesTest {
    static List<String> lines(String resource) throws IOException {
        try (InputStream in = VersionSchemesTest.class.getResourceAsStream(resource)) {
            List<String> lines = new ArrayList<>();
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                int hash = line.indexOf('#');
                String content = (hash >= 0 ? line.substring(0, hash) : line).strip();
                if (!content.isEmpty()) {
                    lines.add(content);
                }
            }
            return lines;
        }
    }

    static Stream<Arguments> triples(String resource) throws IOException {
        return lines(resource).stream()
                .map(l -> l.split("\\s+"))
                .map(f -> Arguments.of(f[0], f[1], Integer.parseInt(f[2])));
    }

    static Stream<Arguments> dpkg() throws IOException {
        return triples("dpkg.txt");
    }

    static Stream<Arguments> rpm() throws IOException {
        return triples("rpmvercmp.txt");
    }

    static Stream<Arguments> apk() throws IOException {
        return lines("apk-version.data").stream()
                .map(l -> l.split("\\s+"))
                .map(f -> Arguments.of(f[0], f[2], f[1].equals("<") ? -1 : f[1].equals(">") ? 1 : 0));
    }

    static Stream<Arguments> npm() throws IOException {
        return lines("npm-semver.txt").stream().map(l -> l.split("\\s+")).map(f -> Arguments.of(f[0], f[1]));
    }

    @ParameterizedTest(name = "dpkg {0} vs {1} = {2}")
    @MethodSource("dpkg")
    void shouldOrderLikeDpkg(String a, String b, int expected) throws Exception {
        assertThat(new DebianVersionScheme().compare(a, b)).isEqualTo(expected);
        assertThat(new DebianVersionScheme().compare(b, a)).isEqualTo(-expected);
    }

    @Test
    void shouldRejectWhatDpkgRejects() throws Exception {
        for (String raw : lines("dpkg-invalid.txt")) {
            String version = raw.replace("<empty>", "").replace("<space>", " ");
            assertThatThrownBy(() -> new DebianVersionScheme().validate(version))
                    .as(raw)
                    .isInstanceOf(InvalidVersionException.class);
        }
    }

    @ParameterizedTest(name = "rpmvercmp {0} vs {1} = {2}")
    @MethodSource("rpm")
    void shouldOrderLikeRpmvercmp(String a, String b, int expected) {
        assertThat(RpmVersionScheme.rpmvercmp(a, b)).isEqualTo(expected);
    }

    @Test
    void shouldCompareRpmEpochVersionRelease() throws Exception {
        RpmVersionScheme rpm = new RpmVersionScheme();
        assertThat(rpm.compare("1:1.0-1.el9", "2.0-1.el9")).isPositive();
        assertThat(rpm.compare("1.2.3-4.el9_2", "1.2.3-4.el9_10")).isNegative();
        assertThat(rpm.compare("1.2.3", "1.2.3-4.el9"))
                .as("no release matches any release")
                .isZero();
        assertThat(rpm.compare("1.0^git1-1", "1.0-1")).isPositive();
    }

    @ParameterizedTest(name = "apk {0} vs {1} = {2}")
    @MethodSource("apk")
    void shouldOrderLikeApk(String a, String b, int expected) throws Exception {
        assertThat(new ApkVersionScheme().compare(a, b)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "npm {0} > {1}")
    @MethodSource("npm")
    void shouldOrderLikeNodeSemver(String greater, String lesser) throws Exception {
        assertThat(SemverVersionScheme.semver().compare(greater, lesser)).isEqualTo(1);
        assertThat(SemverVersionScheme.semver().compare(lesser, greater)).isEqualTo(-1);
    }

    @Test
    void shouldOrderPep440LikePackaging() throws Exception {
        Pep440VersionScheme pep440 = new Pep440VersionScheme();
        List<String> sorted = lines("pep440-sorted.txt");
        for (int i = 0; i < sorted.size(); i++) {
            for (int j = 0; j < sorted.size(); j++) {
                assertThat(pep440.compare(sorted.get(i), sorted.get(j)))
                        .as(sorted.get(i) + " vs " + sorted.get(j))
                        .isEqualTo(Integer.compare(i, j));
            }
        }
        for (String line : lines("pep440-equal.txt")) {
            String[] pair = line.split(" ");
            assertThat(pep440.compare(pair[0], pair[1])).as(line).isZero();
        }
        for (String invalid : lines("pep440-invalid.txt")) {
            assertThat(pep440.isValid(invalid)).as(invalid).isFalse();
        }
    }

    @ParameterizedTest(name = "gem {0} vs {1} = {2}")
    @MethodSource("rubygems")
    void shouldOrderLikeRubyGemsOwnTests(String a, String b, int expected) throws Exception {
        assertThat(new RubyGemsVersionScheme().compare(a, b)).isEqualTo(expected);
        assertThat(new RubyGemsVersionScheme().compare(b, a)).isEqualTo(-expected);
    }

    static Stream<Arguments> rubygems() throws IOException {
        return triples("rubygems.txt");
    }

    @ParameterizedTest(name = "composer {0} vs {1} = {2}")
    @MethodSource("composer")
    void shouldOrderLikeComposerSemver(String a, String b, int expected) throws Exception {
        assertThat(new ComposerVersionScheme().compare(a, b)).isEqualTo(expected);
        assertThat(new ComposerVersionScheme().compare(b, a)).isEqualTo(-expected);
    }

    static Stream<Arguments> composer() throws IOException {
        return triples("composer.txt");
    }

    @Test
    void shouldOrderGoModuleVersionsLikeGolangMod() throws Exception {
        SemverVersionScheme go = SemverVersionScheme.go();
        List<String[]> rows =
                lines("go-semver.txt").stream().map(l -> l.split(" ")).toList();
        for (String[] row : rows) {
            assertThat(go.isValid(row[0])).as(row[0]).isEqualTo(!row[1].equals("-"));
        }
        List<String[]> valid = rows.stream().filter(r -> !r[1].equals("-")).toList();
        for (int i = 0; i < valid.size(); i++) {
            for (int j = 0; j < valid.size(); j++) {
                int expected = valid.get(i)[1].equals(valid.get(j)[1]) ? 0 : Integer.compare(i, j);
                assertThat(go.compare(valid.get(i)[0], valid.get(j)[0]))
                        .as(valid.get(i)[0] + " vs " + valid.get(j)[0])
                        .isEqualTo(expected);
            }
        }
    }

    @ParameterizedTest(name = "maven {0} < {1}")
    @CsvSource({
        "1.0-alpha-1,1.0",
        "1.0-SNAPSHOT,1.0",
        "1.0,1.0-sp",
        "1.0-rc1,1.0",
        "2.9.10.1,2.9.10.2",
        "2.14.1,2.15.0",
        "5.3.17,5.3.18",
        "2.0-beta9,2.3.1",
        "1.0-ga,1.0.1",
        "1.0.RELEASE,1.0.1"
    })
    void shouldOrderLikeMaven(String lesser, String greater) throws Exception {
        assertThat(new MavenVersionScheme().compare(lesser, greater)).isEqualTo(-1);
        assertThat(new MavenVersionScheme().compare("1.0.0", "1.0-final")).isZero();
    }

    @ParameterizedTest(name = "go {0} < {1}")
    @CsvSource({
        "v0.7.0,v0.17.0",
        "v1.2.3-0.20210101000000-abcdef123456,v1.2.3",
        "v2.0.0+incompatible,v2.0.1",
        "1.21rc2,1.21.0",
        "1.20.10,1.21.3",
        "1.21,1.21.1"
    })
    void shouldOrderGoModulesAndToolchains(String lesser, String greater) throws Exception {
        assertThat(SemverVersionScheme.go().compare(lesser, greater)).isEqualTo(-1);
        assertThat(SemverVersionScheme.go().compare("v1.21.0", "1.21")).isZero();
    }

    @ParameterizedTest(name = "gem {0} < {1}")
    @CsvSource({"1.0.a,1.0", "1.0.b1,1.0.b2", "1.10.3,1.10.4", "6.1.7.9,6.1.7.10", "1.0-pre,1.0", "2.2.8.rc1,2.2.8"})
    void shouldOrderLikeRubyGems(String lesser, String greater) throws Exception {
        assertThat(new RubyGemsVersionScheme().compare(lesser, greater)).isEqualTo(-1);
        assertThat(new RubyGemsVersionScheme().compare("1.0.0", "1")).isZero();
    }

    @ParameterizedTest(name = "nuget {0} < {1}")
    @CsvSource({
        "1.0.0-alpha,1.0.0",
        "1.0.0-alpha.1,1.0.0-alpha.beta",
        "1.0.0.1,1.0.0.2",
        "13.0.1,13.0.3",
        "1.0.0-Beta,1.0.0-rc"
    })
    void shouldOrderLikeNuGet(String lesser, String greater) throws Exception {
        assertThat(new NuGetVersionScheme().compare(lesser, greater)).isEqualTo(-1);
        assertThat(new NuGetVersionScheme().compare("1.0", "1.0.0.0")).isZero();
    }

    @ParameterizedTest(name = "composer {0} < {1}")
    @CsvSource({
        "1.0-dev,1.0-alpha1",
        "1.0-alpha1,1.0-beta2",
        "1.0-beta2,1.0-RC1",
        "1.0-RC1,1.0",
        "1.0,1.0-pl1",
        "5.4.19,v5.4.20",
        "7.4.2,7.4.10",
        "1.0,1.0.1",
        "1.0-de,1.0-dev",
        "1.0-Rc1,1.0-dev",
        "1.0-r1,1.0-dev"
    })
    void shouldOrderLikeComposer(String lesser, String greater) throws Exception {
        assertThat(new ComposerVersionScheme().compare(lesser, greater)).isEqualTo(-1);
        assertThat(new ComposerVersionScheme().compare(greater, lesser)).isEqualTo(1);
    }

    /** PHP matches its special forms as prefixes, case-sensitively: a word is ranked by the first form it starts with. */
    @ParameterizedTest(name = "composer {0} = {1}")
    @CsvSource({"1.0-develop,1.0-dev", "1.0-rc1,1.0-RC1", "1.0-patch1,1.0-pl1", "1.0-b1,1.0-beta1", "1.0-a1,1.0-alpha1"
    })
    void shouldRankComposerWordsByTheirPrefix(String left, String right) throws Exception {
        assertThat(new ComposerVersionScheme().compare(left, right)).isZero();
    }
}
