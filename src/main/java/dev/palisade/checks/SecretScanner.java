package dev.palisade.checks;

import com.fasterxml.jackson.databind.JsonNode;
import dev.palisade.source.StructuredText;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Finds secrets in text files: private keys, cloud keys, access tokens, passwords in URLs and in
 * configuration files. Rules are data ({@code secret-rules.yaml}, extended by the user's own). Binary
 * files, large files and system directories are left out; values are reported redacted, with their line.
 */
public final class SecretScanner {
    public static final long DEFAULT_MAX_BYTES = 1024 * 1024;
    private static final List<String> SYSTEM_DIRECTORIES = List.of("usr/share/", "usr/lib/", "usr/include/", "usr/libexec/",
            "lib/", "lib64/", "bin/", "sbin/", "usr/bin/", "usr/sbin/", "var/lib/dpkg/", "var/lib/apt/", "var/cache/", "etc/ssl/",
            "usr/local/lib/python", "proc/", "sys/");
    private static final Set<String> BINARY_EXTENSIONS = Set.of("jar", "war", "ear", "zip", "gz", "tgz", "xz", "bz2", "zst", "png",
            "jpg", "jpeg", "gif", "ico", "pdf", "so", "class", "pyc", "woff", "woff2", "ttf", "otf", "mo", "db", "sqlite", "exe", "dll");
    private static final Set<String> PLACEHOLDERS = Set.of("changeme", "password", "example", "xxxxxx", "secret", "redacted");

    private final CheckCatalog catalog;
    private final List<Rule> rules;
    private final long maxBytes;

    /** One rule: the check it reports under, what it matches, and which files it applies to. */
    record Rule(String id, CheckMetadata check, Pattern pattern, int group, @Nullable Pattern files) {}

    private SecretScanner(CheckCatalog catalog, List<Rule> rules, long maxBytes) {
        this.catalog = catalog;
        this.rules = List.copyOf(rules);
        this.maxBytes = maxBytes;
    }

    /** The built-in rules, plus the user's own (same YAML format) when given. */
    public static SecretScanner load(CheckCatalog catalog, byte @Nullable [] extraRules, long maxBytes) throws IOException {
        List<Rule> rules = new ArrayList<>();
        try (InputStream in = SecretScanner.class.getResourceAsStream("secret-rules.yaml")) {
            if (in == null) {
                throw new IllegalStateException("secret-rules.yaml is missing from the class path");
            }
            rules.addAll(parse(catalog, in.readAllBytes(), "secret-rules.yaml"));
        }
        if (extraRules != null) {
            rules.addAll(parse(catalog, extraRules, "--secret-rules"));
        }
        return new SecretScanner(catalog, rules, maxBytes);
    }

    private static List<Rule> parse(CheckCatalog catalog, byte[] yaml, String where) throws IOException {
        List<Rule> rules = new ArrayList<>();
        for (JsonNode r : StructuredText.yaml(yaml).path("rules")) {
            String id = StructuredText.text(r, "id");
            String check = StructuredText.text(r, "check").isEmpty() ? "PAL-4003" : StructuredText.text(r, "check");
            try {
                String files = StructuredText.text(r, "files");
                rules.add(new Rule(id, catalog.get(check), Pattern.compile(StructuredText.text(r, "pattern")), r.path("group").asInt(0),
                        files.isEmpty() ? null : Pattern.compile(files)));
            } catch (RuntimeException e) {
                throw new IOException(where + ": rule '" + id + "' is not valid: " + e.getMessage(), e);
            }
        }
        return rules;
    }

    /** A cheap test on the path and size: text-like files outside system directories, within the size limit. */
    public boolean wants(String path, long size) {
        if (size == 0 || size > maxBytes) {
            return false;
        }
        for (String system : SYSTEM_DIRECTORIES) {
            if (path.startsWith(system)) {
                return false;
            }
        }
        int dot = path.lastIndexOf('.');
        return dot < 0 || !BINARY_EXTENSIONS.contains(path.substring(dot + 1).toLowerCase(Locale.ROOT));
    }

    public long maxBytes() {
        return maxBytes;
    }

    /**
     * A sha256 over every rule in force and the size bound: what a cached secret result was found with.
     * Two scanners with the same fingerprint find the same secrets in the same file.
     */
    public String fingerprint() {
        StringBuilder text = new StringBuilder("maxBytes=").append(maxBytes);
        for (Rule rule : rules) {
            text.append('\n').append(rule.id()).append('\0').append(rule.check().id()).append('\0').append(rule.pattern().pattern())
                    .append('\0').append(rule.group()).append('\0').append(rule.files() == null ? "" : rule.files().pattern());
        }
        try {
            return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.toString().getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The secrets in one file's content; a file with NUL bytes is binary and left out. */
    public List<Misconfiguration> scan(String path, byte[] content, @Nullable String layer) {
        List<Misconfiguration> found = new ArrayList<>();
        int probe = Math.min(content.length, 8192);
        for (int i = 0; i < probe; i++) {
            if (content[i] == 0) {
                return found;
            }
        }
        String text = new String(content, StandardCharsets.UTF_8);
        Set<String> reported = new java.util.HashSet<>(); // one finding per secret and line, from the first (most specific) rule
        for (Rule rule : rules) {
            if (rule.files() != null && !rule.files().matcher(path).matches()) {
                continue;
            }
            Matcher m = rule.pattern().matcher(text);
            while (m.find()) {
                String secret = rule.group() > 0 && rule.group() <= m.groupCount() && m.group(rule.group()) != null
                        ? m.group(rule.group()) : m.group();
                if (PLACEHOLDERS.contains(secret.toLowerCase(Locale.ROOT))) {
                    continue;
                }
                int line = 1;
                for (int i = 0; i < m.start(); i++) {
                    if (text.charAt(i) == '\n') {
                        line++;
                    }
                }
                if (!reported.add(line + "\u0000" + secret)) {
                    continue;
                }
                found.add(new Misconfiguration(rule.check(), path, line, rule.id(), layer,
                        rule.id() + ": " + Secrets.redact(secret)));
            }
        }
        return found;
    }

}
