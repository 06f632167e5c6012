package dev.palisade.inventory;

import dev.palisade.source.ArtifactDescription;
import dev.palisade.source.Problem;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * What an artifact contains: the unit that is reported, exported as an SBOM, and re-matched later.
 *
 * @param artifact what was scanned (for images, with the image configuration)
 * @param os the operating system, when the artifact holds one
 * @param packages every package found, sorted
 * @param problems everything that could not be read, with where and why
 */
public record Inventory(
        ArtifactDescription artifact, @Nullable OsRelease os, List<Package> packages, List<Problem> problems) {
    public Inventory {
        Objects.requireNonNull(artifact, "artifact");
        packages = List.copyOf(packages);
        problems = List.copyOf(problems);
    }

    public Optional<OsRelease> osRelease() {
        return Optional.ofNullable(os);
    }
}
