package dev.palisade.source.image;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * An image's configuration, kept for the checks that read it (user, environment, ports, history).
 *
 * @param imageId digest of the config blob, which is what Docker calls the image ID
 * @param user the {@code USER}, empty when the image runs as root by default
 */
public record ImageMetadata(
        String imageId,
        List<String> repoTags,
        @Nullable String os,
        @Nullable String architecture,
        @Nullable String created,
        String user,
        List<String> env,
        List<String> entrypoint,
        List<String> cmd,
        @Nullable String workingDir,
        List<String> exposedPorts,
        List<String> volumes,
        SortedMap<String, String> labels,
        List<HistoryEntry> history) {

    public ImageMetadata {
        Objects.requireNonNull(imageId, "imageId");
        Objects.requireNonNull(user, "user");
        repoTags = List.copyOf(repoTags);
        env = List.copyOf(env);
        entrypoint = List.copyOf(entrypoint);
        cmd = List.copyOf(cmd);
        exposedPorts = List.copyOf(exposedPorts);
        volumes = List.copyOf(volumes);
        labels = new TreeMap<>(labels);
        history = List.copyOf(history);
    }

    /** One line of the image history; {@code emptyLayer} lines (ENV, USER...) created no layer. */
    public record HistoryEntry(
            @Nullable String created, @Nullable String createdBy, @Nullable String comment, boolean emptyLayer) {}

    static SortedMap<String, String> sorted(@Nullable Map<String, String> map) {
        return map == null ? new TreeMap<>() : new TreeMap<>(map);
    }
}
