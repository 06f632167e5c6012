package dev.palisade.catalog.os;

import dev.palisade.inventory.Location;
import dev.palisade.inventory.OsRelease;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Parses {@code os-release(5)}: shell-style {@code KEY=value} lines, values optionally quoted with
 * backslash escapes. Nothing is executed or expanded.
 */
public final class OsReleaseParser {
    private OsReleaseParser() {}

    public static final String ETC_PATH = "etc/os-release";
    public static final String USR_LIB_PATH = "usr/lib/os-release";

    public static Optional<OsRelease> parse(String text, Location location) {
        Map<String, String> values = new HashMap<>();
        for (String line : text.split("\n", 1000)) {
            String trimmed = line.strip();
            if (trimmed.isEmpty() || trimmed.startsWith("#")) {
                continue;
            }
            int eq = trimmed.indexOf('=');
            if (eq <= 0) {
                continue;
            }
            values.put(trimmed.substring(0, eq), unquote(trimmed.substring(eq + 1)));
        }
        String id = values.get("ID");
        if (id == null || id.isEmpty()) {
            return Optional.empty();
        }
        String version = values.getOrDefault("VERSION_ID", "");
        String codename = values.get("VERSION_CODENAME");
        return Optional.of(
                new OsRelease(id, version, codename, values.get("PRETTY_NAME"), values.get("ID_LIKE"), location));
    }

    static String unquote(String raw) {
        if (raw.length() >= 2
                && (raw.charAt(0) == '"' || raw.charAt(0) == '\'')
                && raw.charAt(raw.length() - 1) == raw.charAt(0)) {
            char quote = raw.charAt(0);
            String inner = raw.substring(1, raw.length() - 1);
            if (quote == '\'') {
                return inner;
            }
            StringBuilder out = new StringBuilder(inner.length());
            for (int i = 0; i < inner.length(); i++) {
                char c = inner.charAt(i);
                if (c == '\\' && i + 1 < inner.length()) {
                    out.append(inner.charAt(++i));
                } else {
                    out.append(c);
                }
            }
            return out.toString();
        }
        return raw;
    }
}
