package dev.palisade.checks;

import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Recognises secrets in names and values: cloud access keys, tokens, private keys, and names that say
 * they hold a password or key. Values are redacted before they are reported.
 */
public final class Secrets {
    private static final List<Pattern> VALUE_PATTERNS = List.of(
            Pattern.compile("\\b(?:AKIA|ASIA)[A-Z0-9]{16}\\b"),                 // AWS access key id
            Pattern.compile("\\bgh[pousr]_[A-Za-z0-9]{36,}\\b"),                 // GitHub tokens
            Pattern.compile("\\bglpat-[A-Za-z0-9_-]{20,}\\b"),                   // GitLab personal access token
            Pattern.compile("\\bxox[abprs]-[A-Za-z0-9-]{10,}\\b"),               // Slack tokens
            Pattern.compile("-----BEGIN (?:RSA |EC |OPENSSH |DSA )?PRIVATE KEY-----"),
            Pattern.compile("\"type\"\\s*:\\s*\"service_account\""),            // GCP service account JSON
            Pattern.compile("AccountKey=[A-Za-z0-9+/=]{40,}"),                   // Azure storage connection string
            Pattern.compile("[a-z][a-z0-9+.-]*://[^/\\s:@]+:[^/\\s@]+@"));      // password in a URL
    private static final Pattern SECRET_NAME = Pattern.compile(
            "(?i).*(password|passwd|pwd|secret|token|api[_-]?key|access[_-]?key|private[_-]?key|credential).*");

    private Secrets() {}

    /** True when a value looks like a credential whatever its name. */
    public static boolean looksLikeSecretValue(String value) {
        return VALUE_PATTERNS.stream().anyMatch(p -> p.matcher(value).find());
    }

    /** True when a NAME=value pair holds a secret: a secret-looking value, or a secret name with a real value. */
    public static boolean isSecret(String name, String value) {
        if (looksLikeSecretValue(value)) {
            return true;
        }
        String v = value.trim();
        boolean placeholder = v.isEmpty() || v.startsWith("$") || v.equalsIgnoreCase("changeme") || v.length() < 4
                || v.toLowerCase(Locale.ROOT).contains("/run/secrets") || v.toLowerCase(Locale.ROOT).endsWith("_file");
        String upper = name.toUpperCase(Locale.ROOT);
        // names that point at a secret rather than hold it: a file, an ARN, a path, a parameter name
        boolean reference = upper.endsWith("_FILE") || upper.endsWith("_ARN") || upper.endsWith("_PATH") || upper.endsWith("_NAME")
                || upper.endsWith("_PARAM") || upper.endsWith("_PARAMETER");
        return SECRET_NAME.matcher(name).matches() && !placeholder && !reference;
    }

    /** The first and last two characters only. */
    public static String redact(String value) {
        String v = value.trim();
        if (v.length() <= 6) {
            return "****";
        }
        return v.substring(0, 2) + "****" + v.substring(v.length() - 2);
    }
}
