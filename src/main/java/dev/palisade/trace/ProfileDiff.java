package dev.palisade.trace;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.palisade.trace.TraceProfile.Endpoint;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * What a new profile needs that an old one did not (and what it no longer needs): system calls,
 * capabilities, writable directories, ports served and destinations. Either side may be a profile
 * ({@code palisade trace --output}) or a seccomp profile; a seccomp profile has only system calls.
 */
public record ProfileDiff(Map<String, List<String>> added, Map<String, List<String>> removed) {
    public static final List<String> CATEGORIES =
            List.of("syscalls", "capabilities", "writablePaths", "listening", "connections");
    private static final long MAX_FILE_BYTES = 64L * 1024 * 1024;
    private static final ObjectMapper JSON =
            new ObjectMapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    public boolean somethingNew() {
        return added.values().stream().anyMatch(v -> !v.isEmpty());
    }

    /** The facts of one side, by category; a seccomp profile has only {@code syscalls}. */
    public record Facts(boolean seccompOnly, Map<String, Set<String>> values) {}

    public static ProfileDiff between(Facts old, Facts updated) {
        Map<String, List<String>> added = new LinkedHashMap<>();
        Map<String, List<String>> removed = new LinkedHashMap<>();
        boolean onlySyscalls = old.seccompOnly() || updated.seccompOnly();
        for (String category : CATEGORIES) {
            if (onlySyscalls && !category.equals("syscalls")) {
                continue;
            }
            Set<String> before = old.values().getOrDefault(category, Set.of());
            Set<String> after = updated.values().getOrDefault(category, Set.of());
            TreeSet<String> plus = new TreeSet<>(after);
            plus.removeAll(before);
            TreeSet<String> minus = new TreeSet<>(before);
            minus.removeAll(after);
            added.put(category, List.copyOf(plus));
            removed.put(category, List.copyOf(minus));
        }
        return new ProfileDiff(added, removed);
    }

    /** Reads a profile or a seccomp profile; an unreadable or unrecognised file is an IOException. */
    public static Facts read(Path file) throws IOException {
        if (Files.size(file) > MAX_FILE_BYTES) {
            throw new IOException(file + " is larger than " + MAX_FILE_BYTES + " bytes");
        }
        JsonNode root;
        try (InputStream in = Files.newInputStream(file)) {
            root = JSON.readTree(in);
        }
        if (root == null || !root.isObject()) {
            throw new IOException(file + " is not a JSON object");
        }
        if (root.has("defaultAction")) {
            Set<String> names = new TreeSet<>();
            for (JsonNode rule : root.path("syscalls")) {
                if ("SCMP_ACT_ALLOW".equals(rule.path("action").asText())) {
                    rule.path("names").forEach(n -> names.add(n.asText()));
                    if (rule.has("name")) {
                        names.add(rule.path("name").asText());
                    }
                }
            }
            return new Facts(true, Map.of("syscalls", names));
        }
        if (!root.has("formatVersion") || !root.has("syscalls")) {
            throw new IOException(file + " is neither a palisade trace profile nor a seccomp profile");
        }
        return facts(profile(file, root));
    }

    /** Reads a profile ({@code palisade trace --output}); anything else is an IOException. */
    public static TraceProfile readProfile(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IOException(file + ": no such file (palisade trace --output writes a profile)");
        }
        if (Files.size(file) > MAX_FILE_BYTES) {
            throw new IOException(file + " is larger than " + MAX_FILE_BYTES + " bytes");
        }
        JsonNode root;
        try (InputStream in = Files.newInputStream(file)) {
            root = JSON.readTree(in);
        }
        if (root == null || !root.isObject() || !root.has("formatVersion") || !root.has("syscalls")) {
            throw new IOException(file + " is not a palisade trace profile (palisade trace --output writes one)");
        }
        return profile(file, root);
    }

    private static TraceProfile profile(Path file, JsonNode root) throws IOException {
        if (root.path("formatVersion").asInt() != TraceProfile.FORMAT_VERSION) {
            throw new IOException(file + ": profile format " + root.path("formatVersion") + " is not supported (only "
                    + TraceProfile.FORMAT_VERSION + ")");
        }
        com.fasterxml.jackson.databind.node.ObjectNode object = (com.fasterxml.jackson.databind.node.ObjectNode) root;
        // lists added to format 1 later: a profile written before has none
        for (String list : List.of("programs", "baseline", "unknownSyscalls", "writes", "unixSockets")) {
            if (!object.has(list)) {
                object.putArray(list);
            }
        }
        try {
            return JSON.treeToValue(object, TraceProfile.class);
        } catch (com.fasterxml.jackson.core.JsonProcessingException | RuntimeException e) {
            throw new IOException(file + ": not a readable palisade trace profile", e);
        }
    }

    public static Facts facts(TraceProfile profile) {
        Map<String, Set<String>> values = new LinkedHashMap<>();
        values.put("syscalls", new TreeSet<>(profile.allowedSyscalls(null)));
        Set<String> capabilities = new TreeSet<>();
        profile.capabilities().forEach(c -> capabilities.add(c.capability()));
        values.put("capabilities", capabilities);
        Set<String> paths = new TreeSet<>();
        profile.filesystem().mounts().forEach(m -> paths.add(m.path()));
        values.put("writablePaths", paths);
        Set<String> listening = new TreeSet<>();
        profile.listening().forEach(e -> listening.add(e.protocol() + "/" + e.port()));
        values.put("listening", listening);
        Set<String> connections = new TreeSet<>();
        for (Endpoint e : profile.connections()) {
            connections.add(e.protocol() + " " + (e.address().contains(":") ? "[" + e.address() + "]" : e.address())
                    + ":" + e.port());
        }
        values.put("connections", connections);
        return new Facts(false, values);
    }
}
