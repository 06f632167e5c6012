package dev.palisade.match;

import static org.assertj.core.api.Assertions.assertThat;

import dev.palisade.version.MavenVersionScheme;
import dev.palisade.version.RpmVersionScheme;
import dev.palisade.version.SemverVersionScheme;
import dev.palisade.vulndb.Advisory;
import dev.palisade.vulndb.Advisory.Event;
import dev.palisade.vulndb.Advisory.EventKind;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The OSV range semantics on hand-made entries, one rule at a time. */
class RangeEvaluatorTest {
    static Advisory.Affected entry(List<Advisory.Range> ranges, List<String> versions) {
        return new Advisory.Affected("Maven", "g:a", ranges, versions, null);
    }

    static Advisory.Range range(String type, Event... events) {
        return new Advisory.Range(type, List.of(events));
    }

    static Event introduced(String v) {
        return new Event(EventKind.INTRODUCED, v);
    }

    static Event fixed(String v) {
        return new Event(EventKind.FIXED, v);
    }

    static Event lastAffected(String v) {
        return new Event(EventKind.LAST_AFFECTED, v);
    }

    static Event limit(String v) {
        return new Event(EventKind.LIMIT, v);
    }

    static String verdict(Advisory.Affected entry, String version) {
        RangeEvaluator.Verdict v =
                RangeEvaluator.evaluate(entry, version, new MavenVersionScheme(), SemverVersionScheme.semver());
        if (v instanceof RangeEvaluator.Verdict.Affected a) {
            return "affected" + (a.fixes().isEmpty() ? "" : " fix " + String.join(",", a.fixes()));
        }
        return v instanceof RangeEvaluator.Verdict.NotCompared ? "not compared" : "not affected";
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(
            delimiter = '|',
            value = {
                "1.0|affected fix 1.5",
                "1.5|not affected",
                "1.9|not affected",
                "2.0|affected fix 2.3",
                "2.2.9|affected fix 2.3",
                "2.3|not affected",
                "3.0|affected",
                "0.9|not affected"
            })
    void shouldWalkSeveralIntroducedFixedPairs(String version, String expected) {
        // events deliberately out of order: OSV says they are sorted before they are walked
        Advisory.Affected entry = entry(
                List.of(range(
                        "ECOSYSTEM",
                        introduced("2.0"),
                        fixed("1.5"),
                        introduced("1.0"),
                        fixed("2.3"),
                        introduced("3.0"))),
                List.of());
        assertThat(verdict(entry, version)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(
            delimiter = '|',
            value = {"0.1|affected", "1.2.1|affected", "1.2.2|not affected"})
    void shouldStopAfterLastAffected(String version, String expected) {
        Advisory.Affected entry = entry(List.of(range("ECOSYSTEM", introduced("0"), lastAffected("1.2.1"))), List.of());
        assertThat(verdict(entry, version)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(
            delimiter = '|',
            value = {"1.0|affected", "2.0|not affected", "2.5|not affected"})
    void shouldHonourLimits(String version, String expected) {
        Advisory.Affected entry = entry(List.of(range("ECOSYSTEM", introduced("0"), limit("2.0"))), List.of());
        assertThat(verdict(entry, version)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(
            delimiter = '|',
            value = {"6.3.2.1|affected", "6.3.2|not affected", "6.3.2.1.0|affected"})
    void shouldMatchExplicitVersionsWithTheSchemesEquality(String version, String expected) {
        assertThat(verdict(entry(List.of(), List.of("6.3.2.1")), version)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(
            delimiter = '|',
            value = {"1.0.0|not affected", "0.9.0|affected fix 1.0.0"})
    void shouldSkipGitRangesAndUseSemverForSemverRanges(String version, String expected) {
        Advisory.Affected entry = entry(
                List.of(
                        range("GIT", introduced("0"), fixed("abc123")),
                        range("SEMVER", introduced("0"), fixed("1.0.0"))),
                List.of());
        assertThat(verdict(entry, version)).isEqualTo(expected);
    }

    // osv-scanner's IsAffected cases (internal/utility/vulns/vulnerability_test.go, see PROVENANCE.md), on npm.
    // Where osv-scanner reads "0.0.0.1" and "2.0.0rc2" leniently, npm rejects them: Palisade says "not compared".

    static String npm(List<Advisory.Affected> entries, String version) {
        boolean affected = false;
        boolean notCompared = false;
        for (Advisory.Affected entry : entries) {
            RangeEvaluator.Verdict v =
                    RangeEvaluator.evaluate(entry, version, SemverVersionScheme.semver(), SemverVersionScheme.semver());
            affected |= v instanceof RangeEvaluator.Verdict.Affected;
            notCompared |= v instanceof RangeEvaluator.Verdict.NotCompared;
        }
        return affected ? "affected" : notCompared ? "not compared" : "not affected";
    }

    /** Found by a red-team pass on the server: a PEP 440 version of 12,000 segments took 4 s to match. */
    @Test
    void shouldNotCompareAnOverlongVersion() {
        Advisory.Affected entry = new Advisory.Affected(
                "PyPI", "django", List.of(range("ECOSYSTEM", introduced("0"), fixed("2.0"))), List.of(), null);
        String overlong = "1.0" + ".1".repeat(12_000);
        String longest = "1." + "0".repeat(RangeEvaluator.MAX_VERSION_LENGTH - 2);

        RangeEvaluator.Verdict verdict = RangeEvaluator.evaluate(
                entry, overlong, new dev.palisade.version.Pep440VersionScheme(), SemverVersionScheme.semver());

        assertThat(verdict).isInstanceOf(RangeEvaluator.Verdict.NotCompared.class);
        assertThat(((RangeEvaluator.Verdict.NotCompared) verdict).reason()).contains("24003 characters long");
        assertThat(RangeEvaluator.evaluate(
                        entry, longest, new dev.palisade.version.Pep440VersionScheme(), SemverVersionScheme.semver()))
                .isInstanceOf(RangeEvaluator.Verdict.Affected.class);
    }

    static Advisory.Affected npmEntry(String type, Event... events) {
        return new Advisory.Affected("npm", "my-package", List.of(range(type, events)), List.of(), null);
    }

    static void expect(List<Advisory.Affected> entries, String verdict, String... versions) {
        for (String version : versions) {
            assertThat(npm(entries, version)).as(version).isEqualTo(verdict);
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"ECOSYSTEM", "SEMVER"})
    void shouldAgreeWithOsvScannerOnASingleRange(String type) {
        List<Advisory.Affected> all = List.of(npmEntry(type, introduced("0")));
        expect(all, "affected", "1.0.0", "1.1.1", "2.0.0", "v1.0.0", "v2.0.0");
        expect(all, "not compared", "", "0.0.0.1");

        // "fixed": "1" is npm's 1.0.0
        List<Advisory.Affected> fixedOne = List.of(npmEntry(type, introduced("0"), fixed("1")));
        expect(fixedOne, "affected", "0.0.0", "0.1.0", "1.0.0-rc");
        expect(fixedOne, "not affected", "1.0.0", "1.1.0", "2.0.0");
        expect(fixedOne, "not compared", "", "0.0.0.1");

        List<Advisory.Affected> twoRanges =
                List.of(npmEntry(type, introduced("0"), fixed("1"), introduced("2.1.0"), fixed("3.2.0")));
        expect(twoRanges, "affected", "0.0.0", "0.1.0", "1.0.0-rc", "2.1.1", "2.3.4", "3.0.0", "3.0.0-rc");
        expect(twoRanges, "not affected", "1.0.0", "1.1.0", "2.0.1", "3.2.0", "3.2.1", "4.0.0");
        expect(twoRanges, "not compared", "2.0.0rc2");

        List<Advisory.Affected> lastAffected = List.of(npmEntry(type, introduced("0"), lastAffected("1")));
        expect(lastAffected, "affected", "0.0.0", "0.1.0", "1.0.0-rc", "1.0.0");
        expect(lastAffected, "not affected", "1.0.1", "1.1.0", "2.0.0");

        List<Advisory.Affected> mixed =
                List.of(npmEntry(type, introduced("0"), fixed("1"), introduced("2.1.0"), lastAffected("3.1.9")));
        expect(mixed, "affected", "0.0.0", "0.1.0", "1.0.0-rc", "2.1.1", "2.3.4", "3.0.0", "3.0.0-rc", "3.1.9");
        expect(mixed, "not affected", "1.0.0", "1.1.0", "2.0.1", "3.2.0", "3.2.1", "4.0.0");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"ECOSYSTEM", "SEMVER"})
    void shouldAgreeWithOsvScannerOnSeveralEntriesAndUnsortedEvents(String type) {
        List<Advisory.Affected> entries = List.of(
                npmEntry(type, introduced("0"), fixed("1")),
                npmEntry(type, introduced("2.1.0"), fixed("3.2.0")),
                npmEntry(type, introduced("3.3.0"), lastAffected("3.5.0")));
        expect(
                entries,
                "affected",
                "0.0.0",
                "0.1.0",
                "1.0.0-rc",
                "2.1.1",
                "2.3.4",
                "3.0.0",
                "3.0.0-rc",
                "3.3.1",
                "3.4.5",
                "3.5.0");
        expect(entries, "not affected", "1.0.0", "1.1.0", "2.0.1", "3.2.0", "3.2.1", "4.0.0", "3.5.1");

        List<Advisory.Affected> unsorted =
                List.of(npmEntry(type, introduced("0"), introduced("2.1.0"), fixed("1"), lastAffected("3.1.9")));
        expect(unsorted, "affected", "0.0.0", "0.1.0", "1.0.0-rc", "2.1.1", "2.3.4", "3.0.0", "3.0.0-rc", "3.1.9");
        expect(unsorted, "not affected", "1.0.0", "1.1.0", "2.0.1", "3.2.0", "3.2.1", "4.0.0");
    }

    @Test
    void shouldReadAFixedZeroAsAVersionNotAsTheStart() {
        // osv-scanner's "zeros with build strings": Go pseudo-versions, and a "fixed": "0" that is 0.0.0
        List<Advisory.Affected> entries = List.of(
                npmEntry("ECOSYSTEM", fixed("0.0.0-20220412211240-33da011f77ad"), introduced("0")),
                npmEntry("ECOSYSTEM", introduced("0.0.0-20180925071336-cf3bd585ca2a"), fixed("0")));
        expect(entries, "not affected", "0.0.0", "0.14.0");
        expect(entries, "affected", "0.0.0-20180925071336-cf3bd585ca2a");
    }

    // The OSV schema's own examples (docs/schema.md, "Examples").

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(
            delimiter = '|',
            value = {
                "0.0.1|not affected",
                "1.0.0|affected",
                "1.0.1|affected",
                "1.0.2|not affected",
                "2.9.9|not affected",
                "3.0.0|affected",
                "3.2.4|affected",
                "3.2.5|not affected"
            })
    void shouldFollowTheSchemasMultipleRangeExample(String version, String expected) {
        List<Advisory.Affected> multiple =
                List.of(npmEntry("SEMVER", introduced("1.0.0"), fixed("1.0.2"), introduced("3.0.0"), fixed("3.2.5")));
        assertThat(npm(multiple, version)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(
            delimiter = '|',
            value = {"2.1.213|affected|affected", "2.1.214|affected|not affected", "2.1.215|not affected|not affected"})
    void shouldFollowTheSchemasLastAffectedVersusFixedExample(
            String version, String withLastAffected, String withFixed) {
        assertThat(npm(List.of(npmEntry("ECOSYSTEM", introduced("0"), lastAffected("2.1.214"))), version))
                .isEqualTo(withLastAffected);
        assertThat(npm(List.of(npmEntry("SEMVER", introduced("0"), fixed("2.1.214"))), version))
                .isEqualTo(withFixed);
    }

    @Test
    void shouldReportARangeWithAVersionTheSchemeCannotReadAsNotComparedWithoutFailing() {
        Advisory.Affected entry = npmEntry(
                "ECOSYSTEM", introduced("0"), fixed("not-a-version"), introduced("1.999999999999999999999999999991"));
        assertThat(npm(List.of(entry), "1.0.0")).isEqualTo("not compared");
        assertThat(npm(List.of(entry, npmEntry("ECOSYSTEM", introduced("0"))), "1.0.0"))
                .isEqualTo("affected");
    }

    @ParameterizedTest(name = "fixed {0}, installed {1} -> {2}")
    @CsvSource(
            delimiter = '|',
            value = {
                "1:2.3-4.el9|1:2.3-3.el9|affected fix 1:2.3-4.el9",
                "1:2.3-4.el9|1:2.3-4.el9|not affected",
                "1:2.3-4.el9|2.3-5.el9|affected fix 1:2.3-4.el9",
                "1:2.3-4.el9|0:2.3-5.el9|affected fix 1:2.3-4.el9",
                "1:2.3-4.el9|2:1.0-1.el9|not affected",
                "2.3-4.el9|1:2.3-3.el9|not affected",
                "2.3-4.el9|2.3-3.el9|affected fix 2.3-4.el9",
                "0:2.3-4.el9|2.3-3.el9|affected fix 2.3-4.el9",
                "2.3-4.el9|0:2.3-4.el9|not affected"
            })
    void shouldCompareRpmEpochsInTheAdvisoryAndTheInstalledVersion(
            String fixedVersion, String installed, String expected) {
        Advisory.Affected entry = new Advisory.Affected(
                "Rocky Linux:9",
                "openssl",
                List.of(range("ECOSYSTEM", introduced("0"), fixed(fixedVersion))),
                List.of(),
                null);
        RangeEvaluator.Verdict v =
                RangeEvaluator.evaluate(entry, installed, new RpmVersionScheme(), SemverVersionScheme.semver());
        String verdict = v instanceof RangeEvaluator.Verdict.Affected a
                ? "affected"
                        + (a.fixes().isEmpty()
                                ? ""
                                : " fix " + String.join(",", a.fixes()).replace("0:", ""))
                : v.getClass().getSimpleName();
        assertThat(verdict).isEqualTo(expected.equals("not affected") ? "NotAffected" : expected);
    }
}
