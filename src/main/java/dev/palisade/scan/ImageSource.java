package dev.palisade.scan;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Where an image named by reference is looked for, as Trivy's {@code --image-src}. */
public enum ImageSource {
    /** The Docker daemon: {@code --docker-host}, {@code $DOCKER_HOST}, {@code /var/run/docker.sock}. */
    DOCKER,
    /** Podman's API socket: {@code --podman-host}, {@code $XDG_RUNTIME_DIR/podman/podman.sock}, {@code /run/podman/podman.sock}. */
    PODMAN,
    /** The registry the reference names. */
    REMOTE;

    /** Trivy's order without containerd, which Palisade does not reach. */
    public static final List<ImageSource> DEFAULT_ORDER = List.of(DOCKER, PODMAN, REMOTE);

    /** {@code docker,podman,remote} in the order given; duplicates are dropped. */
    public static List<ImageSource> parse(List<String> names) {
        List<ImageSource> sources = new ArrayList<>();
        for (String name : names) {
            String value = name.strip().toLowerCase(Locale.ROOT);
            if (value.isEmpty()) {
                continue;
            }
            if (value.equals("containerd")) {
                throw new IllegalArgumentException(
                        "--image-src: containerd is not supported (use docker, podman or remote; "
                                + "'nerdctl save' gives an archive Palisade reads)");
            }
            ImageSource source;
            try {
                source = valueOf(value.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(
                        "--image-src: unknown image source '" + name + "' (use docker, podman or remote)");
            }
            if (!sources.contains(source)) {
                sources.add(source);
            }
        }
        if (sources.isEmpty()) {
            throw new IllegalArgumentException("--image-src: name at least one of docker, podman, remote");
        }
        return List.copyOf(sources);
    }

    /**
     * The name to ask an engine for: as the user wrote it, with {@code :latest} added when it has neither
     * tag nor digest (an engine would otherwise export every tag of the repository). Image IDs pass as they are.
     */
    public static String engineName(String image) {
        if (image.matches("(sha256:)?[0-9a-f]{12,64}") || image.contains("@")) {
            return image;
        }
        int slash = image.lastIndexOf('/');
        return image.substring(slash + 1).contains(":") ? image : image + ":latest";
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
