package dev.palisade.inventory;

import java.util.Comparator;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Where a package was found: a path inside the artifact (members of nested archives joined with
 * {@code !/}, as in {@code app/app.jar!/BOOT-INF/lib/spring-core-5.3.17.jar}) and, for images, the
 * layer that introduced it.
 *
 * @param layerDiffId the diff ID of the layer
 * @param layerCreatedBy the image history line that created that layer
 */
public record Location(String path, @Nullable String layerDiffId, @Nullable String layerCreatedBy)
        implements Comparable<Location> {
    private static final Comparator<Location> ORDER =
            Comparator.comparing(Location::path).thenComparing(l -> Objects.toString(l.layerDiffId(), ""));

    public Location {
        Objects.requireNonNull(path, "path");
    }

    public static Location of(String path) {
        return new Location(path, null, null);
    }

    public Location inLayer(@Nullable String diffId, @Nullable String createdBy) {
        return new Location(path, diffId, createdBy);
    }

    @Override
    public int compareTo(Location other) {
        return ORDER.compare(this, other);
    }
}
