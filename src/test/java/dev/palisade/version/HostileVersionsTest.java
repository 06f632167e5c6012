package dev.palisade.version;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every scheme on inputs no advisory or package should hold, but a hostile or broken one can: the
 * only exception allowed out of a scheme is {@link InvalidVersionException}, and numbers of any
 * length compare by value.
 */
class HostileVersionsTest {
    static List<VersionScheme> schemes() {
        return List.of(
                new ApkVersionScheme(),
                new ComposerVersionScheme(),
                new DebianVersionScheme(),
                new MavenVersionScheme(),
                new NuGetVersionScheme(),
                new Pep440VersionScheme(),
                new RpmVersionScheme(),
                new RubyGemsVersionScheme(),
                SemverVersionScheme.semver(),
                SemverVersionScheme.go());
    }

    static List<String> hostileVersions() {
        String huge = "9".repeat(40);
        List<String> versions = new ArrayList<>(List.of(
                "",
                " ",
                "\t\n",
                ".",
                "..",
                "-",
                "+",
                "~",
                ":",
                "1:",
                ":1",
                "v",
                "=",
                "1.999999999999999999999999999991",
                huge,
                huge + "." + huge + "." + huge,
                "v" + huge + ".0.0",
                "1.0.0-" + huge,
                "1.0.0-alpha." + huge,
                "1.0.0-" + "a.".repeat(50_000) + "a",
                "1.0.0+" + "a.".repeat(50_000) + "a",
                "1-" + "a.".repeat(50_000) + "a",
                "1.0.0." + huge,
                huge + ":1.0",
                huge + "!1.0",
                "1.0.post" + huge,
                "1.0.dev" + huge,
                "1.0+" + huge,
                "1.0_p" + huge,
                "1.0-r" + huge,
                "1.0_rc" + huge,
                "go" + huge + ".1",
                "go1." + huge,
                "go1.21rc" + huge,
                "v" + huge,
                "v1." + huge,
                "1.0-" + huge,
                "1." + "0".repeat(40) + "1",
                "\u0661.\u0662.\u0663",
                "1.\u0663",
                "\uFF11.\uFF10",
                "\u0967.0.0",
                "1.0\u0000",
                "\u0000",
                "1.0\u001b[31m",
                "1.0\r\n2.0",
                "\uD800",
                "1.0\uD83D\uDE00",
                "\u00e9",
                "1.0-\u0130",
                "v\u0130",
                "1.0.0-\u00df",
                "\u2212" + "1",
                "-1",
                "-1.0",
                "1..0",
                "1.0.",
                ".1.0",
                "1.0--",
                "1.0-+",
                "1.0.0+",
                "1.0.0-",
                "_",
                "__1",
                "1_",
                "1.0_",
                "1.0_alpha_beta",
                "r1",
                "1.0-r",
                "1.0-r1-r2",
                "0:",
                "0:-",
                "::",
                "1:1:1",
                "a:b",
                "1.0~~~~",
                "1.0^^",
                "@",
                "%s",
                "${jndi:x}",
                "1.0 1.0",
                "1e10",
                "0x10",
                "NaN",
                "Infinity",
                "null"));
        versions.add("1.".repeat(50_000));
        versions.add("1".repeat(100_000));
        versions.add("1." + "1".repeat(100_000));
        versions.add("a".repeat(100_000));
        versions.add("1.0-" + "a.".repeat(50_000) + "a");
        versions.add("1.0+" + "a.".repeat(50_000) + "a");
        versions.add("1.0-" + "1.".repeat(50_000) + "1");
        versions.add("1.0_" + "p1_".repeat(30_000));
        versions.add("1.0" + "-1".repeat(50_000));
        versions.add("1." + "0.".repeat(50_000) + "1");
        versions.add("~".repeat(100_000));
        versions.add("1" + "a1".repeat(50_000));
        return versions;
    }

    static Stream<Arguments> schemesAndVersions() {
        return schemes().stream().map(s -> Arguments.of(s.id(), s));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("schemesAndVersions")
    void shouldThrowNothingButInvalidVersionOnHostileInput(String id, VersionScheme scheme) {
        List<String> failures = new ArrayList<>();
        assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
            for (String version : hostileVersions()) {
                String shown = InvalidVersionException.shown(version);
                check(failures, "validate " + shown, () -> scheme.validate(version));
                check(failures, "compare " + shown + " with itself", () -> scheme.compare(version, version));
                for (String other : List.of("1.0.0", "1.999999999999999999999999999992")) {
                    check(failures, "compare " + shown + " / " + other, () -> scheme.compare(version, other));
                    check(failures, "compare " + other + " / " + shown, () -> scheme.compare(other, version));
                }
            }
        });
        assertThat(failures).as(id).isEmpty();
    }

    /** Random strings over the characters versions are made of: no crash, and an order that is an order. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("schemesAndVersions")
    void shouldOrderRandomVersionsConsistently(String id, VersionScheme scheme) {
        Random random = new Random(20261129L);
        String alphabet = "0000111299999.-_~^+:abcprvzABR!#\u0661 ";
        List<String> versions = new ArrayList<>();
        for (int i = 0; i < 3000; i++) {
            StringBuilder v = new StringBuilder();
            int length = 1 + random.nextInt(12);
            for (int k = 0; k < length; k++) {
                v.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            versions.add(v.toString());
        }
        List<String> failures = new ArrayList<>();
        List<String> valid = versions.stream().filter(scheme::isValid).toList();
        for (int i = 0; i + 1 < versions.size(); i++) {
            String a = versions.get(i);
            String b = versions.get(i + 1);
            check(
                    failures,
                    "compare " + InvalidVersionException.shown(a) + " / " + InvalidVersionException.shown(b),
                    () -> scheme.compare(a, b));
        }
        for (int i = 0; i + 2 < valid.size() && failures.size() < 20; i++) {
            String a = valid.get(i);
            String b = valid.get(i + 1);
            String c = valid.get(i + 2);
            try {
                int ab = scheme.compare(a, b);
                if (ab != -scheme.compare(b, a) || scheme.compare(a, a) != 0) {
                    failures.add("not antisymmetric: " + a + " / " + b);
                }
                int bc = scheme.compare(b, c);
                if (ab == bc && ab != 0 && scheme.compare(a, c) != ab) {
                    failures.add("not transitive: " + a + " / " + b + " / " + c);
                }
            } catch (InvalidVersionException e) {
                failures.add("valid versions not comparable: " + a + " / " + b + " / " + c + ": " + e.getMessage());
            }
        }
        assertThat(valid).as("some random versions are valid").isNotEmpty();
        assertThat(failures).as(id).isEmpty();
    }

    @ParameterizedTest(name = "{0}: {1} < {2}")
    @CsvSource({
        "apk,1.999999999999999999999999999991,1.999999999999999999999999999992",
        "apk,1.2,1.999999999999999999999999999991",
        "apk,1.0-r99999999999999999999,1.0-r100000000000000000000",
        "apk,1.0_p99999999999999999999,1.0_p100000000000000000000",
        "apk,99999999999999999999.1,100000000000000000000.0",
        "composer,1.999999999999999999999999999991,1.999999999999999999999999999992",
        "composer,1.2,1.999999999999999999999999999991",
        "deb,1.999999999999999999999999999991,1.999999999999999999999999999992",
        "deb,1.0-99999999999999999999,1.0-100000000000000000000",
        "maven,1.999999999999999999999999999991,1.999999999999999999999999999992",
        "maven,1.2,1.999999999999999999999999999991",
        "nuget,1.999999999999999999999999999991,1.999999999999999999999999999992",
        "nuget,1.2,1.999999999999999999999999999991",
        "nuget,1.0.0.99999999999999999999,1.0.0.100000000000000000000",
        "nuget,1.0.0-rc.99999999999999999999,1.0.0-rc.100000000000000000000",
        "pep440,1.999999999999999999999999999991,1.999999999999999999999999999992",
        "pep440,1.0.post99999999999999999999,1.0.post100000000000000000000",
        "rpm,1.999999999999999999999999999991,1.999999999999999999999999999992",
        "rpm,1.0-99999999999999999999,1.0-100000000000000000000",
        "gem,1.999999999999999999999999999991,1.999999999999999999999999999992",
        "gem,1.2,1.999999999999999999999999999991",
        "semver,1.999999999999999999999999999991,1.999999999999999999999999999992",
        "semver,1.2.3,1.999999999999999999999999999991",
        "semver,1.0.99999999999999999999,1.0.100000000000000000000",
        "semver,1.0.0-a.99999999999999999999,1.0.0-a.100000000000000000000",
        "semver,999999999999999999999999999991,999999999999999999999999999999",
        "go,1.999999999999999999999999999991,1.999999999999999999999999999992",
        "go,v1.0.99999999999999999999,v1.0.100000000000000000000",
        "go,go1.99999999999999999999,go1.100000000000000000000",
        "go,v99999999999999999999.0.0,v100000000000000000000.0.0"
    })
    void shouldCompareNumbersOfAnyLengthByValue(String id, String lesser, String greater) throws Exception {
        VersionScheme scheme =
                schemes().stream().filter(s -> s.id().equals(id)).findFirst().orElseThrow();
        assertThat(scheme.compare(lesser, greater)).isEqualTo(-1);
        assertThat(scheme.compare(greater, lesser)).isEqualTo(1);
        assertThat(scheme.compare(greater, greater)).isZero();
    }

    @Test
    void shouldStillCompareMavenVersionsNestedUpToTheLimit() throws Exception {
        String nested = "1" + "-1".repeat(MavenVersionScheme.MAX_NESTING);
        assertThat(new MavenVersionScheme().compare(nested, nested + "1")).isEqualTo(-1);
        assertThat(new MavenVersionScheme().isValid(nested + "-1")).isFalse();
    }

    interface Call {
        void run() throws InvalidVersionException;
    }

    private static void check(List<String> failures, String what, Call call) {
        try {
            call.run();
        } catch (InvalidVersionException e) {
            if (e.getMessage().length() > 400) {
                failures.add(what + ": message of " + e.getMessage().length() + " chars");
            }
            if (e.getMessage().chars().anyMatch(Character::isISOControl)) {
                failures.add(what + ": control characters in the message");
            }
        } catch (Throwable t) {
            failures.add(what + ": " + t.getClass().getSimpleName() + " "
                    + InvalidVersionException.shown(String.valueOf(t.getMessage())));
        }
    }
}
