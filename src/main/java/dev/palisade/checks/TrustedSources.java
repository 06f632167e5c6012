package dev.palisade.checks;

import com.fasterxml.jackson.databind.JsonNode;
import dev.palisade.source.LimitedInputStream;
import dev.palisade.source.StructuredText;
import dev.palisade.source.image.ImageReference;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Where images may come from: the registries (or registry/repository prefixes) a team trusts, and
 * whether references must pin a digest. Read from a YAML file:
 *
 * <pre>
 * registries:
 *   - registry.example.com        # any repository on that registry
 *   - docker.io/library           # Docker Hub's official images only
 * requireDigest: true
 * </pre>
 *
 * @param allowed normalised prefixes ({@code registry-1.docker.io/library}); empty allows every registry
 * @param requireDigest whether a reference without {@code @sha256:} breaks the policy
 */
public record TrustedSources(List<String> allowed, boolean requireDigest) {
    /** No policy: every source is accepted. */
    public static final TrustedSources NONE = new TrustedSources(List.of(), false);

    private static final long MAX_FILE_BYTES = 1 << 20;

    public TrustedSources {
        allowed = List.copyOf(allowed);
    }

    public static TrustedSources load(Path file) throws IOException {
        byte[] bytes;
        try (InputStream in = Files.newInputStream(file)) {
            bytes = LimitedInputStream.readAll(in, MAX_FILE_BYTES, file + " (trusted sources file over 1 MiB)");
        }
        JsonNode root = StructuredText.yamlDocuments(bytes).stream()
                .findFirst()
                .orElseThrow(() -> new IOException(file + ": empty trusted sources file"));
        JsonNode registries = root.path("registries");
        if (!registries.isMissingNode() && !registries.isArray()) {
            throw new IOException(file + ": 'registries' must be a list of registry hosts or host/repository prefixes");
        }
        List<String> allowed = new ArrayList<>();
        for (JsonNode entry : registries) {
            allowed.add(normalise(entry.asText("").trim())
                    .orElseThrow(() ->
                            new IOException(file + ": not a registry or repository prefix: '" + entry.asText() + "'")));
        }
        JsonNode digest = root.path("requireDigest");
        if (!digest.isMissingNode() && !digest.isBoolean()) {
            throw new IOException(file + ": 'requireDigest' must be true or false");
        }
        return new TrustedSources(allowed, digest.asBoolean(false));
    }

    /** {@code docker.io/library} as the registry client names it: {@code registry-1.docker.io/library}. */
    static Optional<String> normalise(String prefix) {
        String p = prefix.endsWith("/") ? prefix.substring(0, prefix.length() - 1) : prefix;
        if (p.isEmpty() || p.contains("@") || p.contains(" ")) {
            return Optional.empty();
        }
        int slash = p.indexOf('/');
        String host = slash < 0 ? p : p.substring(0, slash);
        String rest = slash < 0 ? "" : p.substring(slash);
        if (host.equals("docker.io") || host.equals("index.docker.io")) {
            host = ImageReference.DOCKER_HUB;
        }
        return Optional.of(host + rest);
    }

    public boolean isEmpty() {
        return allowed.isEmpty() && !requireDigest;
    }

    /** One way an image reference breaks the policy: the check it fails and what was found. */
    public record Violation(String checkId, String message) {}

    static final String UNTRUSTED_REGISTRY = "PAL-1007";
    static final String DIGEST_REQUIRED = "PAL-1008";

    /** Why {@code image} breaks the policy: nothing when it is trusted. Unparseable references always break it. */
    public List<Violation> violations(String image) {
        if (isEmpty()) {
            return List.of();
        }
        Optional<ImageReference> parsed = ImageReference.parse(image);
        if (parsed.isEmpty()) {
            return List.of(
                    new Violation(UNTRUSTED_REGISTRY, image + " is not an image reference the policy can check"));
        }
        ImageReference ref = parsed.get();
        List<Violation> reasons = new ArrayList<>();
        String full = ref.registry() + "/" + ref.repository();
        if (!allowed.isEmpty()
                && allowed.stream().noneMatch(prefix -> full.equals(prefix) || full.startsWith(prefix + "/"))) {
            reasons.add(new Violation(
                    UNTRUSTED_REGISTRY,
                    image + " comes from " + ref.registry() + ", which is not among the trusted registries "
                            + allowed));
        }
        if (requireDigest && ref.digest() == null) {
            reasons.add(new Violation(
                    DIGEST_REQUIRED, image + " is not pinned by digest, which the trusted sources policy requires"));
        }
        return reasons;
    }
}
