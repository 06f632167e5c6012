package dev.palisade.match;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class CvssScoreTest {

    private static final String BASE = "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N";
    private static final List<String> BASE_METRICS =
            List.of("AV:N", "AC:L", "AT:N", "PR:N", "UI:N", "VC:H", "VI:H", "VA:H", "SC:N", "SI:N", "SA:N");

    /** The "VECTOR - SCORE" lines of cvss-v4-scores.txt (provenance in PROVENANCE.md beside it). */
    static Stream<Arguments> referenceScores() throws IOException {
        List<Arguments> cases = new ArrayList<>();
        try (InputStream in = CvssScoreTest.class.getResourceAsStream("cvss-v4-scores.txt")) {
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] parts = line.split(" - ");
                cases.add(Arguments.of(parts[0], Double.parseDouble(parts[1])));
            }
        }
        return cases.stream();
    }

    @ParameterizedTest
    @MethodSource("referenceScores")
    void scoresV4VectorsLikeFirstsReferenceCalculator(String vector, double expected) {
        CvssScore score = CvssScore.of(vector).orElseThrow();

        assertThat(score.version()).isEqualTo("4.0");
        assertThat(score.vector()).isEqualTo(vector);
        assertThat(score.baseScore()).isEqualTo(expected);
    }

    @Test
    void readsAtLeastThirtyReferenceVectorsAcrossTheRange() throws IOException {
        List<Double> scores = referenceScores().map(a -> (Double) a.get()[1]).toList();

        assertThat(scores)
                .hasSizeGreaterThanOrEqualTo(30)
                .contains(0.0)
                .anyMatch(s -> s < 4.0)
                .anyMatch(s -> s >= 9.0);
    }

    /** Band edges of the v4.0 qualitative scale, with vectors from cvss-v4-scores.txt. */
    @ParameterizedTest
    @CsvSource({
        "CVSS:4.0/AV:N/AC:L/AT:P/PR:H/UI:A/VC:N/VI:L/VA:L/SC:L/SI:N/SA:N, 1.8, LOW",
        "CVSS:4.0/AV:N/AC:H/AT:N/PR:H/UI:A/VC:N/VI:N/VA:N/SC:N/SI:H/SA:N, 4.0, MEDIUM",
        "CVSS:4.0/AV:N/AC:L/AT:N/PR:L/UI:A/VC:N/VI:H/VA:H/SC:N/SI:N/SA:L, 6.9, MEDIUM",
        "CVSS:4.0/AV:N/AC:L/AT:N/PR:L/UI:P/VC:H/VI:L/VA:L/SC:L/SI:L/SA:L, 7.0, HIGH",
        "CVSS:4.0/AV:N/AC:H/AT:N/PR:L/UI:P/VC:H/VI:H/VA:H/SC:H/SI:L/SA:H, 8.8, HIGH",
        "CVSS:4.0/AV:N/AC:L/AT:P/PR:N/UI:N/VC:H/VI:N/VA:N/SC:L/SI:L/SA:H, 9.0, CRITICAL",
    })
    void v4SeverityFollowsTheQualitativeScale(String vector, double score, Severity severity) {
        CvssScore cvss = CvssScore.of(vector).orElseThrow();

        assertThat(cvss.baseScore()).isEqualTo(score);
        assertThat(Severity.ofScore(cvss.baseScore())).isEqualTo(severity);
    }

    /**
     * Red Hat cvss, tests/test_cvss4.py, test_severity: full vectors with threat, environmental and supplemental
     * metrics, and the rating the reference gives them (None is a score of 0.0).
     */
    @ParameterizedTest
    @CsvSource({
        "CVSS:4.0/AV:L/AC:H/AT:P/PR:N/UI:P/VC:H/VI:N/VA:N/SC:N/SI:N/AU:N/SA:N/S:P/R:A/V:D/RE:L/U:Red/MAV:L/MAC:L/MAT:N/"
                + "MPR:L/MUI:A/MVC:L/MVI:N/MVA:H/MSC:H/MSI:L/MSA:N/CR:H/IR:L/AR:L/E:P, LOW",
        "CVSS:4.0/AV:L/AC:L/AT:P/PR:L/UI:P/VC:N/VI:L/VA:L/SC:H/SI:N/AU:Y/SA:N/S:N/R:I/V:C/RE:M/U:Amber/MAV:L/MAC:H/MAT:P"
                + "/MPR:N/MUI:P/MVC:L/MVI:N/MVA:H/MSC:H/MSI:H/MSA:S/CR:M/IR:M/AR:M/E:A, HIGH",
        "CVSS:4.0/AV:L/AC:L/AT:P/PR:L/UI:A/VC:H/VI:H/VA:N/SC:H/SI:N/AU:Y/SA:N/S:N/R:I/V:C/RE:L/U:Green/MAV:L/MAC:L/MAT:N"
                + "/MPR:H/MUI:P/MVC:L/MVI:L/MVA:N/MSC:H/MSI:H/MSA:S/CR:H/IR:H/AR:H/E:P, MEDIUM",
        "CVSS:4.0/AV:A/AC:H/AT:N/PR:H/UI:A/VC:H/VI:N/VA:H/SC:L/SI:N/AU:N/SA:H/S:P/R:I/V:D/RE:M/U:Red/MAV:N/MAC:L/MAT:N"
                + "/MPR:N/MUI:N/MVC:H/MVI:H/MVA:H/MSC:H/MSI:S/MSA:S/CR:H/IR:H/AR:H/E:U, CRITICAL",
        "CVSS:4.0/AV:L/AC:H/AT:N/PR:N/UI:N/VC:L/VI:N/VA:H/SC:L/SI:H/AU:N/SA:H/S:P/R:U/V:C/RE:H/U:Red/MAV:L/MAC:L/MAT:P"
                + "/MPR:L/MUI:P/MVC:N/MVI:N/MVA:N/MSC:N/MSI:N/MSA:N/CR:H/IR:H/AR:H/E:P, NONE",
    })
    void fullVectorsGetTheReferenceRating(String vector, String rating) {
        double score = CvssScore.of(vector).orElseThrow().baseScore();

        if (rating.equals("NONE")) {
            assertThat(score).isZero();
        } else {
            assertThat(Severity.ofScore(score)).isEqualTo(Severity.valueOf(rating));
        }
    }

    @Test
    void keepsScoringV2AndV3WithTheLibrary() {
        assertThat(CvssScore.of("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"))
                .get()
                .extracting(CvssScore::baseScore, CvssScore::version)
                .containsExactly(9.8, "3.1");
        assertThat(CvssScore.of("AV:N/AC:L/Au:N/C:P/I:P/A:P"))
                .get()
                .extracting(CvssScore::baseScore, CvssScore::version)
                .containsExactly(7.5, "2.0");
    }

    static Stream<String> invalidV4Vectors() {
        List<String> vectors = new ArrayList<>();
        for (String missing : BASE_METRICS) {
            List<String> rest = new ArrayList<>(BASE_METRICS);
            rest.remove(missing);
            vectors.add("CVSS:4.0/" + String.join("/", rest));
        }
        vectors.addAll(List.of(
                BASE + "/SI:H", // duplicate base metric
                BASE + "/E:A/E:P", // duplicate threat metric
                BASE + "/JJ:H", // unknown metric
                BASE.replace("SA:N", "SA:J"), // unknown value
                BASE.replace("AV:N", "AV:H"), // a value of another metric
                BASE.replace("SI:N", "SI:S"), // Safety is for the modified subsequent metrics only
                BASE + "/MSC:S",
                BASE + "/U:red", // values are case-sensitive
                BASE.toLowerCase(),
                BASE.replace("AV:N", "AV:"), // empty value
                BASE.replace("AV:N", "AV"), // no colon
                BASE.replace("AV:N", "AV:N:L"), // two colons
                BASE.replace("/AC:L", "//AC:L"), // empty field
                BASE + "/", // trailing slash
                BASE.replace("CVSS:4.0", "CVSS:4.1"),
                BASE.replace("CVSS:4.0", "CVSS:4"),
                BASE.replace("CVSS:4.0/", "CVSS:4.0"),
                BASE.replace("CVSS:4.0/", ""),
                " " + BASE,
                BASE + " ",
                "CVSS:4.0/",
                "CVSS:4.0",
                "CVSS:4",
                "",
                "not a vector at all",
                "CVSS:4.0/\u0000\uFFFF/\uD800",
                "CVSS:4.0/" + "AV:N/".repeat(10_000)));
        return vectors.stream();
    }

    @ParameterizedTest
    @MethodSource("invalidV4Vectors")
    void invalidV4VectorsHaveNoScore(String vector) {
        assertThatCode(() -> CvssScore.of(vector)).doesNotThrowAnyException();
        assertThat(CvssScore.of(vector)).isEmpty();
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "CVSS:/4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N",
                "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:Q",
                "AV:N/AC:L/Au:N/C:P/I:P",
            })
    void malformedVectorsOfOtherVersionsHaveNoScore(String vector) {
        assertThatCode(() -> CvssScore.of(vector)).doesNotThrowAnyException();
        assertThat(CvssScore.of(vector)).isEmpty();
    }

    @Test
    void noVectorHasNoScore() {
        assertThat(CvssScore.of(null)).isEmpty();
    }

    /** Random edits of valid vectors: whatever comes out is scored in range or not at all, and nothing throws. */
    @Test
    void mangledVectorsNeverThrow() {
        Random random = new Random(4_0);
        String alphabet = "CVSS:4.0/AVNLPHXSMEUIRYDCGrbe1239 \u00e9";
        for (int i = 0; i < 20_000; i++) {
            StringBuilder vector = new StringBuilder(
                    random.nextBoolean() ? BASE : BASE + "/E:U/CR:M/MAV:A/MSI:S/S:P/AU:Y/R:I/V:C/RE:H/U:Amber");
            for (int edits = 1 + random.nextInt(4); edits > 0 && !vector.isEmpty(); edits--) {
                int at = random.nextInt(vector.length());
                char c = alphabet.charAt(random.nextInt(alphabet.length()));
                switch (random.nextInt(3)) {
                    case 0 -> vector.deleteCharAt(at);
                    case 1 -> vector.insert(at, c);
                    default -> vector.setCharAt(at, c);
                }
            }
            String mangled = vector.toString();
            Optional<CvssScore> score;
            try {
                score = CvssScore.of(mangled);
            } catch (RuntimeException e) {
                throw new AssertionError("scoring threw on " + mangled, e);
            }
            score.ifPresent(s -> assertThat(s.baseScore()).as(mangled).isBetween(0.0, 10.0));
        }
    }
}
