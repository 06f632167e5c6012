package dev.palisade.source.image;

import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * An image reference as {@code docker pull} reads it: {@code [HOST[:PORT]/]NAME[:TAG][@DIGEST]}. A
 * first component without a dot, a colon or {@code localhost} is part of the name on Docker Hub, and
 * single-component Docker Hub names live under {@code library/}.
 *
 * @param registry the host and port ({@code registry-1.docker.io} for Docker Hub)
 * @param repository the repository ({@code library/debian})
 * @param tag the tag, {@code latest} when neither a tag nor a digest is given
 * @param digest the digest, when the reference pins one
 */
public record ImageReference(String registry, String repository, @Nullable String tag, @Nullable String digest) {
    public static final String DOCKER_HUB = "registry-1.docker.io";
    private static final Pattern REPOSITORY =
            Pattern.compile("[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*");
    private static final Pattern TAG = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}");
    private static final Pattern DIGEST = Pattern.compile("sha256:[a-f0-9]{64}");
    private static final Pattern HOST = Pattern.compile(
            "(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*|\\[[0-9A-Fa-f:]+\\])(?::[0-9]{1,5})?");

    public ImageReference {
        Objects.requireNonNull(registry, "registry");
        Objects.requireNonNull(repository, "repository");
    }

    public static Optional<ImageReference> parse(String text) {
        String rest = text.trim();
        String digest = null;
        int at = rest.indexOf('@');
        if (at >= 0) {
            digest = rest.substring(at + 1);
            rest = rest.substring(0, at);
            if (!DIGEST.matcher(digest).matches()) {
                return Optional.empty();
            }
        }
        String registry = DOCKER_HUB;
        int slash = rest.indexOf('/');
        if (slash > 0) {
            String first = rest.substring(0, slash);
            if (first.contains(".") || first.contains(":") || first.equals("localhost")) {
                if (!HOST.matcher(first).matches()) {
                    return Optional.empty();
                }
                registry = first.equals("docker.io") || first.equals("index.docker.io") ? DOCKER_HUB : first;
                rest = rest.substring(slash + 1);
            }
        }
        String tag = null;
        int colon = rest.lastIndexOf(':');
        if (colon > rest.lastIndexOf('/')) {
            tag = rest.substring(colon + 1);
            rest = rest.substring(0, colon);
            if (!TAG.matcher(tag).matches()) {
                return Optional.empty();
            }
        }
        if (registry.equals(DOCKER_HUB) && !rest.contains("/")) {
            rest = "library/" + rest;
        }
        if (!REPOSITORY.matcher(rest).matches() || !rest.equals(rest.toLowerCase(Locale.ROOT))) {
            return Optional.empty();
        }
        if (tag == null && digest == null) {
            tag = "latest";
        }
        return Optional.of(new ImageReference(registry, rest, tag, digest));
    }

    /** What to ask the manifests endpoint for: the digest when pinned, else the tag. */
    public String manifestReference() {
        return digest != null ? digest : Objects.requireNonNull(tag);
    }

    @Override
    public String toString() {
        return registry + "/" + repository + (tag != null ? ":" + tag : "") + (digest != null ? "@" + digest : "");
    }
}
