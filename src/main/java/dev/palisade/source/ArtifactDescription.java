package dev.palisade.source;

import dev.palisade.source.image.ImageMetadata;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * What was opened: its name as the user gave it, its kind, its deployment model, its layers and,
 * for images, the image configuration.
 */
public record ArtifactDescription(
        String name, ArtifactKind kind, DeploymentModel model, List<Layer> layers, @Nullable ImageMetadata image) {
    public ArtifactDescription {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(model, "model");
        layers = List.copyOf(layers);
    }

    public Optional<ImageMetadata> imageMetadata() {
        return Optional.ofNullable(image);
    }
}
