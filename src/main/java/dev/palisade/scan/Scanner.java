package dev.palisade.scan;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/** What a scan looks for beyond the inventory (Trivy's {@code --scanners}). */
public enum Scanner {
    /** Known vulnerabilities of the packages. */
    VULN,
    /** Configuration and hardening checks. */
    MISCONFIG,
    /** Secrets in files. */
    SECRET;

    /** A comma-separated list: {@code vuln}, {@code misconfig}, {@code secret}, or {@code none}. */
    public static Set<Scanner> parse(String list) {
        Set<Scanner> chosen = EnumSet.noneOf(Scanner.class);
        for (String part : list.split(",")) {
            String scanner = part.trim().toLowerCase(Locale.ROOT);
            switch (scanner) {
                case "vuln" -> chosen.add(VULN);
                case "misconfig", "config" -> chosen.add(MISCONFIG);
                case "secret" -> chosen.add(SECRET);
                case "none", "" -> {}
                default ->
                    throw new IllegalArgumentException(
                            "--scanners: unknown scanner '" + part + "' (use vuln, misconfig, secret or none)");
            }
        }
        return chosen;
    }
}
