package dev.palisade.catalog.java;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a Maven-built archive's file name says: {@code artifactId-version[-classifier].jar}. The
 * version starts at the first hyphen followed by a digit.
 *
 * @param artifactId the name part
 * @param version the version part, empty when the name carries none
 */
public record JarFileName(String artifactId, String version) {
    private static final Pattern NAME_VERSION = Pattern.compile("^(.+?)-(\\d[^/]*)$");
    private static final List<String> EXTENSIONS =
            List.of("jar", "war", "ear", "jpi", "hpi", "par", "sar", "kar", "rar", "nar");
    private static final Pattern EXTENSION =
            Pattern.compile("\\.(jar|war|ear|jpi|hpi|par|sar|kar|rar|nar)$", Pattern.CASE_INSENSITIVE);

    public static JarFileName parse(String fileName) {
        String base = EXTENSION.matcher(fileName).replaceFirst("");
        Matcher m = NAME_VERSION.matcher(base);
        if (m.matches()) {
            return new JarFileName(m.group(1), m.group(2));
        }
        return new JarFileName(base, "");
    }

    public static boolean isJavaArchive(String fileName) {
        int n = fileName.length();
        if (n < 4 || !isAscii(fileName, n - 4) || fileName.charAt(n - 1) == '\n' || fileName.charAt(n - 1) == '\r') {
            // rare names (a line break at the end, other scripts): the regular expression decides
            return EXTENSION.matcher(fileName.toLowerCase(Locale.ROOT)).find();
        }
        if (fileName.charAt(n - 4) != '.') {
            return false;
        }
        for (String extension : EXTENSIONS) {
            if (fileName.regionMatches(true, n - 3, extension, 0, 3)) {
                return true;
            }
        }
        return false;
    }

    private static boolean isAscii(String s, int from) {
        for (int i = from; i < s.length(); i++) {
            if (s.charAt(i) >= 0x80) {
                return false;
            }
        }
        return true;
    }

    public Optional<String> versionOptional() {
        return version.isEmpty() ? Optional.empty() : Optional.of(version);
    }
}
