package dev.palisade.evidence;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * Checks an evidence pack: the manifest's Ed25519 signature (with the key the pack carries, or the one
 * the auditor pinned), and every file against the manifest: a changed, added or removed file is reported.
 */
public final class EvidenceVerifier {
    /** What the check found: nothing when the pack is intact. */
    public record Result(List<String> problems, int files) {
        public Result {
            problems = List.copyOf(problems);
        }

        public boolean intact() {
            return problems.isEmpty();
        }
    }

    /** A pack larger than this is not one Palisade wrote. */
    static final long MAX_FILE_BYTES = 1L << 30;

    public Result verify(Path folder, @Nullable PublicKey pinned) throws IOException {
        if (!Files.isDirectory(folder)) {
            throw new IOException(folder + ": not a folder");
        }
        List<String> problems = new ArrayList<>();
        Path manifestFile = folder.resolve(EvidenceWriter.MANIFEST);
        Path signatureFile = folder.resolve(EvidenceWriter.SIGNATURE);
        if (!Files.isRegularFile(manifestFile, LinkOption.NOFOLLOW_LINKS)
                || !Files.isRegularFile(signatureFile, LinkOption.NOFOLLOW_LINKS)) {
            return new Result(
                    List.of("no " + EvidenceWriter.MANIFEST + " and " + EvidenceWriter.SIGNATURE
                            + ": not an evidence pack"),
                    0);
        }
        byte[] manifestBytes = read(manifestFile);
        PublicKey key = pinned;
        Path keyFile = folder.resolve(EvidenceWriter.PUBLIC_KEY);
        if (key == null) {
            if (!Files.isRegularFile(keyFile, LinkOption.NOFOLLOW_LINKS)) {
                return new Result(
                        List.of("no " + EvidenceWriter.PUBLIC_KEY + " in the pack, and no --public-key given"), 0);
            }
            key = SigningKeys.readPublic(new String(read(keyFile), StandardCharsets.US_ASCII));
        } else if (Files.isRegularFile(keyFile, LinkOption.NOFOLLOW_LINKS)
                && !SigningKeys.readPublic(new String(read(keyFile), StandardCharsets.US_ASCII))
                        .equals(pinned)) {
            problems.add(EvidenceWriter.PUBLIC_KEY
                    + " is not the key given with --public-key: the pack was signed by another key");
        }
        byte[] signature;
        try {
            signature = Base64.getDecoder().decode(new String(read(signatureFile), StandardCharsets.US_ASCII).strip());
        } catch (IllegalArgumentException e) {
            signature = new byte[0];
        }
        if (!SigningKeys.verify(key, manifestBytes, signature)) {
            problems.add(EvidenceWriter.SIGNATURE + ": the signature does not match " + EvidenceWriter.MANIFEST
                    + " (the manifest was changed, or signed with another key)");
        }
        Map<String, String> listed = new TreeMap<>();
        try {
            JsonNode files = new ObjectMapper().readTree(manifestBytes).path("files");
            for (Iterator<Map.Entry<String, JsonNode>> it = files.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> f = it.next();
                listed.put(f.getKey(), f.getValue().asText());
            }
        } catch (IOException e) {
            problems.add(EvidenceWriter.MANIFEST + " is not JSON");
        }
        TreeSet<String> present = new TreeSet<>();
        try (Stream<Path> walk = Files.walk(folder)) {
            for (Path p : (Iterable<Path>) walk::iterator) {
                if (p.equals(folder) || Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                    continue;
                }
                String name = folder.relativize(p).toString();
                if (!name.equals(EvidenceWriter.MANIFEST) && !name.equals(EvidenceWriter.SIGNATURE)) {
                    present.add(name);
                }
            }
        }
        for (String name : present) {
            String expected = listed.get(name);
            Path file = folder.resolve(name);
            if (expected == null) {
                problems.add(name + ": added (not in the manifest)");
            } else if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
                problems.add(name + ": not a regular file");
            } else if (!Hashes.sha256(file).equals(expected)) {
                problems.add(name + ": changed (its SHA-256 is not the manifest's)");
            }
        }
        for (String name : listed.keySet()) {
            if (!present.contains(name)) {
                problems.add(name + ": removed (listed in the manifest, missing)");
            }
        }
        return new Result(problems, present.size());
    }

    private static byte[] read(Path file) throws IOException {
        if (Files.size(file) > MAX_FILE_BYTES) {
            throw new IOException(file.getFileName() + " is larger than an evidence pack's files are");
        }
        return Files.readAllBytes(file);
    }
}
