package dev.palisade.catalog.java;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * groupIds of well-known artifacts whose jars say nothing about their group (Spring, Tomcat), read
 * from {@code known-maven-groups.tsv}: data, easy to extend, with its provenance in the file.
 */
public final class KnownMavenGroups {
    private static final String RESOURCE = "known-maven-groups.tsv";

    private final Map<String, String> exact;
    private final Map<String, String> prefixes;

    KnownMavenGroups(Map<String, String> exact, Map<String, String> prefixes) {
        this.exact = Map.copyOf(exact);
        this.prefixes = Map.copyOf(prefixes);
    }

    public static KnownMavenGroups load() {
        try (InputStream in = KnownMavenGroups.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the class path");
            }
            Map<String, String> exact = new HashMap<>();
            Map<String, String> prefixes = new HashMap<>();
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            String line;
            while ((line = reader.readLine()) != null) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] columns = line.split("\t");
                if (columns.length != 2) {
                    throw new IllegalStateException(RESOURCE + ": malformed line: " + line);
                }
                if (columns[0].endsWith("*")) {
                    prefixes.put(columns[0].substring(0, columns[0].length() - 1), columns[1]);
                } else {
                    exact.put(columns[0], columns[1]);
                }
            }
            return new KnownMavenGroups(exact, prefixes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Optional<String> groupOf(String artifactId) {
        String group = exact.get(artifactId);
        if (group != null) {
            return Optional.of(group);
        }
        String best = null;
        int bestLength = -1;
        for (Map.Entry<String, String> prefix : prefixes.entrySet()) {
            if (artifactId.startsWith(prefix.getKey()) && prefix.getKey().length() > bestLength) {
                best = prefix.getValue();
                bestLength = prefix.getKey().length();
            }
        }
        return Optional.ofNullable(best);
    }
}
