package dev.palisade.checks;

import com.fasterxml.jackson.databind.JsonNode;
import dev.palisade.source.StructuredText;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * The container runtime's default seccomp profile, as the system calls it allows on x86_64 without
 * added capabilities. Read from {@code runtime-default-seccomp.json}, converted from Debian's
 * containers-common package by {@code src/build/runtime-default-seccomp.py} (package, version and
 * sha256 of the source are in the file).
 *
 * @param source the package, version, path and sha256 it was converted from
 * @param allowed the calls allowed (some only with certain arguments: {@code socket}, {@code personality})
 */
public record RuntimeDefaultSeccomp(String source, SortedSet<String> allowed) {
    public RuntimeDefaultSeccomp {
        allowed = java.util.Collections.unmodifiableSortedSet(new TreeSet<>(allowed));
    }

    public static RuntimeDefaultSeccomp load() {
        try (InputStream in = RuntimeDefaultSeccomp.class.getResourceAsStream("runtime-default-seccomp.json")) {
            if (in == null) {
                throw new IllegalStateException("runtime-default-seccomp.json is missing from the class path");
            }
            JsonNode root = StructuredText.json(in.readAllBytes());
            TreeSet<String> allowed = new TreeSet<>();
            root.path("allowed").forEach(n -> allowed.add(n.asText()));
            JsonNode source = root.path("source");
            return new RuntimeDefaultSeccomp(
                    source.path("package").asText() + " "
                            + source.path("version").asText(),
                    allowed);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The calls this profile allows that {@code needed} does not contain. */
    public SortedSet<String> removedBy(SortedSet<String> needed) {
        TreeSet<String> removed = new TreeSet<>(allowed);
        removed.removeAll(needed);
        return removed;
    }
}
