package dev.palisade.match;

import static java.util.Map.entry;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * CVSS v4.0 scores as FIRST's specification defines them (section 8 of the v4.0 specification document): the
 * vector's MacroVector (EQ1 to EQ6) is looked up in FIRST's table of 270 MacroVector scores, lowered by the mean
 * proportional severity distance to that MacroVector's highest-severity vectors, and rounded half up to one
 * decimal. Each step follows FIRST's reference calculator ({@code cvss_score.js} and {@code cvss40.js} of
 * FIRSTdotorg/cvss-v4-calculator, ported to Python as the Red Hat {@code cvss} library's {@code cvss4.py}). The score
 * covers every metric the vector carries: a vector with threat or environmental metrics gets its CVSS-BT, -BE or
 * -BTE score, as the reference calculator gives it.
 */
final class CvssV4Calculator {

    private static final String PREFIX = "CVSS:4.0/";

    private static final List<String> MANDATORY =
            List.of("AV", "AC", "AT", "PR", "UI", "VC", "VI", "VA", "SC", "SI", "SA");

    private static final Map<String, Set<String>> ALLOWED_VALUES = Map.ofEntries(
            entry("AV", Set.of("N", "A", "L", "P")),
            entry("AC", Set.of("L", "H")),
            entry("AT", Set.of("N", "P")),
            entry("PR", Set.of("N", "L", "H")),
            entry("UI", Set.of("N", "P", "A")),
            entry("VC", Set.of("H", "L", "N")),
            entry("VI", Set.of("H", "L", "N")),
            entry("VA", Set.of("H", "L", "N")),
            entry("SC", Set.of("H", "L", "N")),
            entry("SI", Set.of("H", "L", "N")),
            entry("SA", Set.of("H", "L", "N")),
            entry("E", Set.of("X", "A", "P", "U")),
            entry("CR", Set.of("X", "H", "M", "L")),
            entry("IR", Set.of("X", "H", "M", "L")),
            entry("AR", Set.of("X", "H", "M", "L")),
            entry("MAV", Set.of("X", "N", "A", "L", "P")),
            entry("MAC", Set.of("X", "L", "H")),
            entry("MAT", Set.of("X", "N", "P")),
            entry("MPR", Set.of("X", "N", "L", "H")),
            entry("MUI", Set.of("X", "N", "P", "A")),
            entry("MVC", Set.of("X", "H", "L", "N")),
            entry("MVI", Set.of("X", "H", "L", "N")),
            entry("MVA", Set.of("X", "H", "L", "N")),
            entry("MSC", Set.of("X", "H", "L", "N")),
            entry("MSI", Set.of("X", "S", "H", "L", "N")),
            entry("MSA", Set.of("X", "S", "H", "L", "N")),
            entry("S", Set.of("X", "N", "P")),
            entry("AU", Set.of("X", "N", "Y")),
            entry("R", Set.of("X", "A", "U", "I")),
            entry("V", Set.of("X", "D", "C")),
            entry("RE", Set.of("X", "L", "M", "H")),
            entry("U", Set.of("X", "Clear", "Green", "Amber", "Red")));

    /** Severity levels of the metrics that count in the severity distance, in steps of 0.1 (0 is the most severe). */
    private static final Map<String, Map<String, Integer>> LEVELS = Map.ofEntries(
            entry("AV", Map.of("N", 0, "A", 1, "L", 2, "P", 3)),
            entry("PR", Map.of("N", 0, "L", 1, "H", 2)),
            entry("UI", Map.of("N", 0, "P", 1, "A", 2)),
            entry("AC", Map.of("L", 0, "H", 1)),
            entry("AT", Map.of("N", 0, "P", 1)),
            entry("VC", Map.of("H", 0, "L", 1, "N", 2)),
            entry("VI", Map.of("H", 0, "L", 1, "N", 2)),
            entry("VA", Map.of("H", 0, "L", 1, "N", 2)),
            entry("SC", Map.of("H", 1, "L", 2, "N", 3)),
            entry("SI", Map.of("S", 0, "H", 1, "L", 2, "N", 3)),
            entry("SA", Map.of("S", 0, "H", 1, "L", 2, "N", 3)),
            entry("CR", Map.of("H", 0, "M", 1, "L", 2)),
            entry("IR", Map.of("H", 0, "M", 1, "L", 2)),
            entry("AR", Map.of("H", 0, "M", 1, "L", 2)));

    /** The highest-severity vectors of each EQ level (FIRST's {@code max_composed.js}). */
    private static final List<List<String>> EQ1_MAXES = List.of(
            List.of("AV:N/PR:N/UI:N"),
            List.of("AV:A/PR:N/UI:N", "AV:N/PR:L/UI:N", "AV:N/PR:N/UI:P"),
            List.of("AV:P/PR:N/UI:N", "AV:A/PR:L/UI:P"));

    private static final List<List<String>> EQ2_MAXES =
            List.of(List.of("AC:L/AT:N"), List.of("AC:H/AT:N", "AC:L/AT:P"));
    /** By EQ3 then EQ6; EQ3 level 2 only goes with EQ6 level 1. */
    private static final Map<String, List<String>> EQ3_EQ6_MAXES = Map.of(
            "00", List.of("VC:H/VI:H/VA:H/CR:H/IR:H/AR:H"),
            "01", List.of("VC:H/VI:H/VA:L/CR:M/IR:M/AR:H", "VC:H/VI:H/VA:H/CR:M/IR:M/AR:M"),
            "10", List.of("VC:L/VI:H/VA:H/CR:H/IR:H/AR:H", "VC:H/VI:L/VA:H/CR:H/IR:H/AR:H"),
            "11",
                    List.of(
                            "VC:L/VI:H/VA:L/CR:H/IR:M/AR:H",
                            "VC:L/VI:H/VA:H/CR:H/IR:M/AR:M",
                            "VC:H/VI:L/VA:H/CR:M/IR:H/AR:M",
                            "VC:H/VI:L/VA:L/CR:M/IR:H/AR:H",
                            "VC:L/VI:L/VA:H/CR:H/IR:H/AR:M"),
            "21", List.of("VC:L/VI:L/VA:L/CR:H/IR:H/AR:H"));

    private static final List<List<String>> EQ4_MAXES =
            List.of(List.of("SC:H/SI:S/SA:S"), List.of("SC:H/SI:H/SA:H"), List.of("SC:L/SI:L/SA:L"));

    /** The depth of each EQ level in severity steps (FIRST's {@code max_severity.js}). */
    private static final int[] EQ1_DEPTH = {1, 4, 5};

    private static final int[] EQ2_DEPTH = {1, 2};
    private static final Map<String, Integer> EQ3_EQ6_DEPTH = Map.of("00", 7, "01", 6, "10", 8, "11", 8, "21", 10);
    private static final int[] EQ4_DEPTH = {6, 5, 4};

    /** The score of each MacroVector, keyed by its EQ1 to EQ6 levels (FIRST's {@code cvss_lookup.js}). */
    private static final Map<String, Double> MACRO_VECTOR_SCORES = Map.ofEntries(
            entry("000000", 10.0),
            entry("000001", 9.9),
            entry("000010", 9.8),
            entry("000011", 9.5),
            entry("000020", 9.5),
            entry("000021", 9.2),
            entry("000100", 10.0),
            entry("000101", 9.6),
            entry("000110", 9.3),
            entry("000111", 8.7),
            entry("000120", 9.1),
            entry("000121", 8.1),
            entry("000200", 9.3),
            entry("000201", 9.0),
            entry("000210", 8.9),
            entry("000211", 8.0),
            entry("000220", 8.1),
            entry("000221", 6.8),
            entry("001000", 9.8),
            entry("001001", 9.5),
            entry("001010", 9.5),
            entry("001011", 9.2),
            entry("001020", 9.0),
            entry("001021", 8.4),
            entry("001100", 9.3),
            entry("001101", 9.2),
            entry("001110", 8.9),
            entry("001111", 8.1),
            entry("001120", 8.1),
            entry("001121", 6.5),
            entry("001200", 8.8),
            entry("001201", 8.0),
            entry("001210", 7.8),
            entry("001211", 7.0),
            entry("001220", 6.9),
            entry("001221", 4.8),
            entry("002001", 9.2),
            entry("002011", 8.2),
            entry("002021", 7.2),
            entry("002101", 7.9),
            entry("002111", 6.9),
            entry("002121", 5.0),
            entry("002201", 6.9),
            entry("002211", 5.5),
            entry("002221", 2.7),
            entry("010000", 9.9),
            entry("010001", 9.7),
            entry("010010", 9.5),
            entry("010011", 9.2),
            entry("010020", 9.2),
            entry("010021", 8.5),
            entry("010100", 9.5),
            entry("010101", 9.1),
            entry("010110", 9.0),
            entry("010111", 8.3),
            entry("010120", 8.4),
            entry("010121", 7.1),
            entry("010200", 9.2),
            entry("010201", 8.1),
            entry("010210", 8.2),
            entry("010211", 7.1),
            entry("010220", 7.2),
            entry("010221", 5.3),
            entry("011000", 9.5),
            entry("011001", 9.3),
            entry("011010", 9.2),
            entry("011011", 8.5),
            entry("011020", 8.5),
            entry("011021", 7.3),
            entry("011100", 9.2),
            entry("011101", 8.2),
            entry("011110", 8.0),
            entry("011111", 7.2),
            entry("011120", 7.0),
            entry("011121", 5.9),
            entry("011200", 8.4),
            entry("011201", 7.0),
            entry("011210", 7.1),
            entry("011211", 5.2),
            entry("011220", 5.0),
            entry("011221", 3.0),
            entry("012001", 8.6),
            entry("012011", 7.5),
            entry("012021", 5.2),
            entry("012101", 7.1),
            entry("012111", 5.2),
            entry("012121", 2.9),
            entry("012201", 6.3),
            entry("012211", 2.9),
            entry("012221", 1.7),
            entry("100000", 9.8),
            entry("100001", 9.5),
            entry("100010", 9.4),
            entry("100011", 8.7),
            entry("100020", 9.1),
            entry("100021", 8.1),
            entry("100100", 9.4),
            entry("100101", 8.9),
            entry("100110", 8.6),
            entry("100111", 7.4),
            entry("100120", 7.7),
            entry("100121", 6.4),
            entry("100200", 8.7),
            entry("100201", 7.5),
            entry("100210", 7.4),
            entry("100211", 6.3),
            entry("100220", 6.3),
            entry("100221", 4.9),
            entry("101000", 9.4),
            entry("101001", 8.9),
            entry("101010", 8.8),
            entry("101011", 7.7),
            entry("101020", 7.6),
            entry("101021", 6.7),
            entry("101100", 8.6),
            entry("101101", 7.6),
            entry("101110", 7.4),
            entry("101111", 5.8),
            entry("101120", 5.9),
            entry("101121", 5.0),
            entry("101200", 7.2),
            entry("101201", 5.7),
            entry("101210", 5.7),
            entry("101211", 5.2),
            entry("101220", 5.2),
            entry("101221", 2.5),
            entry("102001", 8.3),
            entry("102011", 7.0),
            entry("102021", 5.4),
            entry("102101", 6.5),
            entry("102111", 5.8),
            entry("102121", 2.6),
            entry("102201", 5.3),
            entry("102211", 2.1),
            entry("102221", 1.3),
            entry("110000", 9.5),
            entry("110001", 9.0),
            entry("110010", 8.8),
            entry("110011", 7.6),
            entry("110020", 7.6),
            entry("110021", 7.0),
            entry("110100", 9.0),
            entry("110101", 7.7),
            entry("110110", 7.5),
            entry("110111", 6.2),
            entry("110120", 6.1),
            entry("110121", 5.3),
            entry("110200", 7.7),
            entry("110201", 6.6),
            entry("110210", 6.8),
            entry("110211", 5.9),
            entry("110220", 5.2),
            entry("110221", 3.0),
            entry("111000", 8.9),
            entry("111001", 7.8),
            entry("111010", 7.6),
            entry("111011", 6.7),
            entry("111020", 6.2),
            entry("111021", 5.8),
            entry("111100", 7.4),
            entry("111101", 5.9),
            entry("111110", 5.7),
            entry("111111", 5.7),
            entry("111120", 4.7),
            entry("111121", 2.3),
            entry("111200", 6.1),
            entry("111201", 5.2),
            entry("111210", 5.7),
            entry("111211", 2.9),
            entry("111220", 2.4),
            entry("111221", 1.6),
            entry("112001", 7.1),
            entry("112011", 5.9),
            entry("112021", 3.0),
            entry("112101", 5.8),
            entry("112111", 2.6),
            entry("112121", 1.5),
            entry("112201", 2.3),
            entry("112211", 1.3),
            entry("112221", 0.6),
            entry("200000", 9.3),
            entry("200001", 8.7),
            entry("200010", 8.6),
            entry("200011", 7.2),
            entry("200020", 7.5),
            entry("200021", 5.8),
            entry("200100", 8.6),
            entry("200101", 7.4),
            entry("200110", 7.4),
            entry("200111", 6.1),
            entry("200120", 5.6),
            entry("200121", 3.4),
            entry("200200", 7.0),
            entry("200201", 5.4),
            entry("200210", 5.2),
            entry("200211", 4.0),
            entry("200220", 4.0),
            entry("200221", 2.2),
            entry("201000", 8.5),
            entry("201001", 7.5),
            entry("201010", 7.4),
            entry("201011", 5.5),
            entry("201020", 6.2),
            entry("201021", 5.1),
            entry("201100", 7.2),
            entry("201101", 5.7),
            entry("201110", 5.5),
            entry("201111", 4.1),
            entry("201120", 4.6),
            entry("201121", 1.9),
            entry("201200", 5.3),
            entry("201201", 3.6),
            entry("201210", 3.4),
            entry("201211", 1.9),
            entry("201220", 1.9),
            entry("201221", 0.8),
            entry("202001", 6.4),
            entry("202011", 5.1),
            entry("202021", 2.0),
            entry("202101", 4.7),
            entry("202111", 2.1),
            entry("202121", 1.1),
            entry("202201", 2.4),
            entry("202211", 0.9),
            entry("202221", 0.4),
            entry("210000", 8.8),
            entry("210001", 7.5),
            entry("210010", 7.3),
            entry("210011", 5.3),
            entry("210020", 6.0),
            entry("210021", 5.0),
            entry("210100", 7.3),
            entry("210101", 5.5),
            entry("210110", 5.9),
            entry("210111", 4.0),
            entry("210120", 4.1),
            entry("210121", 2.0),
            entry("210200", 5.4),
            entry("210201", 4.3),
            entry("210210", 4.5),
            entry("210211", 2.2),
            entry("210220", 2.0),
            entry("210221", 1.1),
            entry("211000", 7.5),
            entry("211001", 5.5),
            entry("211010", 5.8),
            entry("211011", 4.5),
            entry("211020", 4.0),
            entry("211021", 2.1),
            entry("211100", 6.1),
            entry("211101", 5.1),
            entry("211110", 4.8),
            entry("211111", 1.8),
            entry("211120", 2.0),
            entry("211121", 0.9),
            entry("211200", 4.6),
            entry("211201", 1.8),
            entry("211210", 1.7),
            entry("211211", 0.7),
            entry("211220", 0.8),
            entry("211221", 0.2),
            entry("212001", 5.3),
            entry("212011", 2.4),
            entry("212021", 1.4),
            entry("212101", 2.4),
            entry("212111", 1.2),
            entry("212121", 0.5),
            entry("212201", 1.0),
            entry("212211", 0.3),
            entry("212221", 0.1));

    private static final Set<String> SECURITY_REQUIREMENTS = Set.of("CR", "IR", "AR");

    private static final double ROUNDING_EPSILON = 1e-6;

    private CvssV4Calculator() {}

    /** The vector's score, or empty when it is not a valid CVSS v4.0 vector. */
    static OptionalDouble score(@Nullable String vector) {
        return parse(vector)
                .map(metrics -> OptionalDouble.of(score(new Metrics(metrics))))
                .orElse(OptionalDouble.empty());
    }

    /**
     * The vector's metrics when it is valid: the {@code CVSS:4.0/} prefix, every base metric, each metric once, and
     * only the metrics and values the specification defines. Like the Red Hat port of the reference calculator, it
     * does not insist on the specification's metric order.
     */
    private static Optional<Map<String, String>> parse(@Nullable String vector) {
        if (vector == null || !vector.startsWith(PREFIX)) {
            return Optional.empty();
        }
        Map<String, String> metrics = new HashMap<>();
        for (String field : vector.substring(PREFIX.length()).split("/", -1)) {
            int colon = field.indexOf(':');
            if (colon < 0 || field.indexOf(':', colon + 1) >= 0) {
                return Optional.empty();
            }
            String name = field.substring(0, colon);
            String value = field.substring(colon + 1);
            Set<String> allowed = ALLOWED_VALUES.get(name);
            if (allowed == null || !allowed.contains(value) || metrics.putIfAbsent(name, value) != null) {
                return Optional.empty();
            }
        }
        if (!metrics.keySet().containsAll(MANDATORY)) {
            return Optional.empty();
        }
        return Optional.of(Map.copyOf(metrics));
    }

    private static double score(Metrics v) {
        if (List.of("VC", "VI", "VA", "SC", "SI", "SA").stream()
                .allMatch(name -> v.effective(name).equals("N"))) {
            return 0.0;
        }
        int eq1 = v.is("AV", "N") && v.is("PR", "N") && v.is("UI", "N")
                ? 0
                : (v.is("AV", "N") || v.is("PR", "N") || v.is("UI", "N")) && !v.is("AV", "P") ? 1 : 2;
        int eq2 = v.is("AC", "L") && v.is("AT", "N") ? 0 : 1;
        int eq3 =
                v.is("VC", "H") && v.is("VI", "H") ? 0 : v.is("VC", "H") || v.is("VI", "H") || v.is("VA", "H") ? 1 : 2;
        int eq4 =
                v.is("SI", "S") || v.is("SA", "S") ? 0 : v.is("SC", "H") || v.is("SI", "H") || v.is("SA", "H") ? 1 : 2;
        int eq5 = v.is("E", "A") ? 0 : v.is("E", "P") ? 1 : 2;
        int eq6 = (v.is("CR", "H") && v.is("VC", "H"))
                        || (v.is("IR", "H") && v.is("VI", "H"))
                        || (v.is("AR", "H") && v.is("VA", "H"))
                ? 0
                : 1;
        double value = require(MACRO_VECTOR_SCORES, macroVector(eq1, eq2, eq3, eq4, eq5, eq6));

        // The score of the next lower MacroVector of each EQ; NaN where there is none.
        double lowerEq1 = macroVectorScore(eq1 + 1, eq2, eq3, eq4, eq5, eq6);
        double lowerEq2 = macroVectorScore(eq1, eq2 + 1, eq3, eq4, eq5, eq6);
        double lowerEq3Eq6;
        if (eq3 == 0 && eq6 == 0) {
            double left = macroVectorScore(eq1, eq2, eq3, eq4, eq5, eq6 + 1);
            double right = macroVectorScore(eq1, eq2, eq3 + 1, eq4, eq5, eq6);
            lowerEq3Eq6 = left > right ? left : right;
        } else if (eq3 == 1 && eq6 == 0) {
            lowerEq3Eq6 = macroVectorScore(eq1, eq2, eq3, eq4, eq5, eq6 + 1);
        } else if (eq6 == 1 && eq3 < 2) {
            lowerEq3Eq6 = macroVectorScore(eq1, eq2, eq3 + 1, eq4, eq5, eq6);
        } else {
            lowerEq3Eq6 = Double.NaN;
        }
        double lowerEq4 = macroVectorScore(eq1, eq2, eq3, eq4 + 1, eq5, eq6);
        double lowerEq5 = macroVectorScore(eq1, eq2, eq3, eq4, eq5 + 1, eq6);

        Map<String, Integer> distance = severityDistance(v, eq1, eq2, eq3 + "" + eq6, eq4);
        int distanceEq1 = require(distance, "AV") + require(distance, "PR") + require(distance, "UI");
        int distanceEq2 = require(distance, "AC") + require(distance, "AT");
        int distanceEq3Eq6 = require(distance, "VC")
                + require(distance, "VI")
                + require(distance, "VA")
                + require(distance, "CR")
                + require(distance, "IR")
                + require(distance, "AR");
        int distanceEq4 = require(distance, "SC") + require(distance, "SI") + require(distance, "SA");

        // Each EQ that has a lower MacroVector lowers the score by its share of the gap to it; EQ5 counts but adds
        // nothing.
        int lowerCount = 0;
        double lowering = 0;
        if (!Double.isNaN(lowerEq1)) {
            lowerCount++;
            lowering += (value - lowerEq1) * distanceEq1 / EQ1_DEPTH[eq1];
        }
        if (!Double.isNaN(lowerEq2)) {
            lowerCount++;
            lowering += (value - lowerEq2) * distanceEq2 / EQ2_DEPTH[eq2];
        }
        if (!Double.isNaN(lowerEq3Eq6)) {
            lowerCount++;
            lowering += (value - lowerEq3Eq6) * distanceEq3Eq6 / require(EQ3_EQ6_DEPTH, eq3 + "" + eq6);
        }
        if (!Double.isNaN(lowerEq4)) {
            lowerCount++;
            lowering += (value - lowerEq4) * distanceEq4 / EQ4_DEPTH[eq4];
        }
        if (!Double.isNaN(lowerEq5)) {
            lowerCount++;
        }
        double score = lowerCount == 0 ? value : value - lowering / lowerCount;
        score = Math.min(10.0, Math.max(0.0, score));
        // Half up at one decimal, as the reference does: the arithmetic can land a hair below a tie (5.6499999...).
        return Math.round((score + ROUNDING_EPSILON) * 10) / 10.0;
    }

    /**
     * The distance, per metric, from the first of the MacroVector's highest-severity vectors that is at least as
     * severe as the vector in every metric.
     */
    private static Map<String, Integer> severityDistance(Metrics v, int eq1, int eq2, String eq3Eq6, int eq4) {
        Map<String, Integer> distance = Map.of();
        for (String max1 : EQ1_MAXES.get(eq1)) {
            for (String max2 : EQ2_MAXES.get(eq2)) {
                for (String max36 : require(EQ3_EQ6_MAXES, eq3Eq6)) {
                    for (String max4 : EQ4_MAXES.get(eq4)) {
                        Map<String, String> max = new HashMap<>();
                        for (String part :
                                String.join("/", max1, max2, max36, max4).split("/")) {
                            max.put(part.substring(0, part.indexOf(':')), part.substring(part.indexOf(':') + 1));
                        }
                        Map<String, Integer> candidate = new HashMap<>();
                        LEVELS.forEach((name, levels) -> candidate.put(
                                name, require(levels, v.effective(name)) - require(levels, max.get(name))));
                        distance = candidate;
                        if (candidate.values().stream().allMatch(d -> d >= 0)) {
                            return distance;
                        }
                    }
                }
            }
        }
        return distance;
    }

    private static String macroVector(int... levels) {
        StringBuilder key = new StringBuilder();
        for (int level : levels) {
            key.append(level);
        }
        return key.toString();
    }

    private static double macroVectorScore(int... levels) {
        Double score = MACRO_VECTOR_SCORES.get(macroVector(levels));
        return score == null ? Double.NaN : score;
    }

    /** A parsed vector's metrics, read with the specification's defaults and environmental overrides. */
    private record Metrics(Map<String, String> given) {

        /** The value that counts: a modified metric overrides its base metric; unset E, CR, IR, AR are the worst case. */
        String effective(String name) {
            String value = given.getOrDefault(name, "X");
            if (value.equals("X") && name.equals("E")) {
                return "A";
            }
            if (value.equals("X") && SECURITY_REQUIREMENTS.contains(name)) {
                return "H";
            }
            String modified = given.getOrDefault("M" + name, "X");
            return modified.equals("X") ? value : modified;
        }

        boolean is(String name, String value) {
            return effective(name).equals(value);
        }
    }

    /** A value of one of the reference tables, which hold every key the algorithm can ask for. */
    private static <K, V> V require(Map<K, V> table, @Nullable K key) {
        V value = table.get(key);
        if (value == null) {
            throw new IllegalStateException("CVSS v4 table has no entry for " + key);
        }
        return value;
    }
}
