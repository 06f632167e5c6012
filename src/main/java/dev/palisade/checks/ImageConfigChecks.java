package dev.palisade.checks;

import dev.palisade.source.ArtifactDescription;
import dev.palisade.source.FileEntry;
import dev.palisade.source.FileKind;
import dev.palisade.source.FileTree;
import dev.palisade.source.Layer;
import dev.palisade.source.image.ImageMetadata;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/** Checks on a container image's configuration and its merged file tree. */
public final class ImageConfigChecks {
    private static final java.util.regex.Pattern BASE_CLOSING =
            java.util.regex.Pattern.compile("^(?:/bin/sh -c #\\(nop\\)\\s+)?(?:CMD|ENTRYPOINT)\\b");
    private static final Pattern FROM_IN_HISTORY = Pattern.compile("(?i)\\bFROM\\s+([^\\s]+)");
    private static final List<String> CACHE_DIRECTORIES = List.of(
            "var/lib/apt/lists/",
            "var/cache/apt/archives/",
            "var/cache/apk/",
            "var/cache/yum/",
            "var/cache/dnf/",
            "root/.cache/pip/");

    private final CheckCatalog catalog;

    public ImageConfigChecks(CheckCatalog catalog) {
        this.catalog = catalog;
    }

    public List<Misconfiguration> evaluate(ArtifactDescription artifact, FileTree tree) {
        List<Misconfiguration> found = new ArrayList<>();
        ImageMetadata image = artifact.image();
        if (image == null) {
            return found;
        }
        String config = "image config " + image.imageId();
        String user = image.user().trim();
        if (user.isEmpty()
                || user.equals("root")
                || user.equals("0")
                || user.startsWith("root:")
                || user.startsWith("0:")) {
            found.add(new Misconfiguration(
                    catalog.get("PAL-1001"),
                    config,
                    0,
                    "config.User",
                    null,
                    user.isEmpty() ? "no USER: the image runs as root" : "USER " + user));
        }
        for (String env : image.env()) {
            int eq = env.indexOf('=');
            String name = eq < 0 ? env : env.substring(0, eq);
            String value = eq < 0 ? "" : env.substring(eq + 1);
            if (Secrets.isSecret(name, value)) {
                found.add(new Misconfiguration(
                        catalog.get("PAL-1002"),
                        config,
                        0,
                        "config.Env." + name,
                        null,
                        "ENV " + name + "=" + Secrets.redact(value)));
            }
        }
        for (String port : image.exposedPorts()) {
            String number = port.split("/", -1)[0];
            if (number.equals("22") || number.equals("23")) {
                found.add(new Misconfiguration(
                        catalog.get("PAL-1003"),
                        config,
                        0,
                        "config.ExposedPorts." + port,
                        null,
                        "EXPOSE " + port + (number.equals("22") ? " (SSH)" : " (telnet)")));
            }
        }
        unpinnedBase(image, config).ifPresent(found::add);
        int firstOwnLayer = firstOwnLayer(image);
        for (FileEntry entry : tree.entries()) {
            if (entry.kind() == FileKind.FILE && (entry.mode() & 06000) != 0 && entry.layer() >= firstOwnLayer) {
                found.add(new Misconfiguration(
                        catalog.get("PAL-1005"),
                        entry.path(),
                        0,
                        "",
                        layerId(artifact, entry.layer()),
                        String.format(
                                Locale.ROOT,
                                "%s is %s (mode %04o, owner %d)",
                                entry.path(),
                                (entry.mode() & 04000) != 0 ? "setuid" : "setgid",
                                entry.mode(),
                                entry.uid())));
            }
        }
        for (String directory : CACHE_DIRECTORIES) {
            long files = tree.entries().stream()
                    .filter(e -> e.kind() == FileKind.FILE
                            && e.path().startsWith(directory)
                            && !e.name().equals("lock"))
                    .count();
            if (files > 0) {
                found.add(new Misconfiguration(
                        catalog.get("PAL-1006"), directory, 0, "", null, files + " files left in " + directory));
            }
        }
        return found;
    }

    /**
     * The index of the first layer the image added to its base. A base image's build ends with its
     * {@code CMD} or {@code ENTRYPOINT}, a history line without a layer; the last such line that
     * is followed by layers marks where the base ends. Without one, the first layer is taken as the base.
     */
    static int firstOwnLayer(ImageMetadata image) {
        int layers = 0;
        int boundary = 1;
        int candidate = -1;
        for (ImageMetadata.HistoryEntry entry : image.history()) {
            if (entry.emptyLayer()) {
                if (entry.createdBy() != null
                        && BASE_CLOSING.matcher(entry.createdBy()).find()
                        && layers > 0) {
                    candidate = layers;
                }
            } else {
                layers++;
                if (candidate > 0) {
                    boundary = candidate;
                    candidate = -1;
                }
            }
        }
        return boundary;
    }

    private java.util.Optional<Misconfiguration> unpinnedBase(ImageMetadata image, String config) {
        String base = image.labels().get("org.opencontainers.image.base.name");
        String baseDigest = image.labels().get("org.opencontainers.image.base.digest");
        if (base != null && (baseDigest == null || baseDigest.isBlank()) && !base.contains("@sha256:")) {
            return java.util.Optional.of(new Misconfiguration(
                    catalog.get("PAL-1004"),
                    config,
                    0,
                    "config.Labels.org.opencontainers.image.base.name",
                    null,
                    "base image " + base + describeTag(base)));
        }
        for (ImageMetadata.HistoryEntry h : image.history()) {
            if (h.createdBy() == null) {
                continue;
            }
            Matcher m = FROM_IN_HISTORY.matcher(h.createdBy());
            if (m.find() && !m.group(1).contains("@sha256:") && !m.group(1).equals("scratch")) {
                return java.util.Optional.of(new Misconfiguration(
                        catalog.get("PAL-1004"),
                        config,
                        0,
                        "history",
                        null,
                        "history says FROM " + m.group(1) + describeTag(m.group(1))));
            }
        }
        return java.util.Optional.empty();
    }

    static String describeTag(String reference) {
        String last = reference.substring(reference.lastIndexOf('/') + 1);
        if (!last.contains(":")) {
            return ": no tag (latest) and no digest";
        }
        return last.endsWith(":latest") ? ": tag latest and no digest" : ": no digest";
    }

    private static @Nullable String layerId(ArtifactDescription artifact, int index) {
        for (Layer layer : artifact.layers()) {
            if (layer.index() == index) {
                return layer.diffId();
            }
        }
        return null;
    }
}
