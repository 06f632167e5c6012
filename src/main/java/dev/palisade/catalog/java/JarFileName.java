package dev.palisade.catalog.java;

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
        return EXTENSION.matcher(fileName.toLowerCase(Locale.ROOT)).find();
    }

    public Optional<String> versionOptional() {
        return version.isEmpty() ? Optional.empty() : Optional.of(version);
    }
}
