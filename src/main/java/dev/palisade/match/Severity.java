package dev.palisade.match;

import java.util.Locale;
import java.util.Optional;

/** Qualitative severity, highest first, with the CVSS v3 rating bands. */
public enum Severity {
    CRITICAL,
    HIGH,
    MEDIUM,
    LOW,
    UNKNOWN;

    /** CVSS v3.x / v4.0 qualitative rating of a base score. */
    public static Severity ofScore(double score) {
        if (score >= 9.0) {
            return CRITICAL;
        }
        if (score >= 7.0) {
            return HIGH;
        }
        if (score >= 4.0) {
            return MEDIUM;
        }
        if (score > 0.0) {
            return LOW;
        }
        return UNKNOWN;
    }

    /** A label as databases write it: {@code CRITICAL}, {@code High}, GitHub's {@code MODERATE}... */
    public static Optional<Severity> ofLabel(String label) {
        String l = label.trim().toUpperCase(Locale.ROOT);
        return switch (l) {
            case "CRITICAL" -> Optional.of(CRITICAL);
            case "HIGH", "IMPORTANT" -> Optional.of(HIGH);
            case "MEDIUM", "MODERATE" -> Optional.of(MEDIUM);
            case "LOW", "NEGLIGIBLE", "UNIMPORTANT" -> Optional.of(LOW);
            default -> Optional.empty();
        };
    }
}
