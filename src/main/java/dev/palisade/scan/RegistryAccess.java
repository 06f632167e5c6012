package dev.palisade.scan;

import dev.palisade.registry.RegistryClient;
import dev.palisade.source.image.ImageReference;
import java.io.IOException;

/** How the pipeline reaches registries: credentials and transport are the entry point's business. */
public interface RegistryAccess {
    RegistryClient client(ImageReference reference) throws IOException;

    /** No network at all (--offline): every registry reference fails at once. */
    static RegistryAccess offline() {
        return reference -> {
            throw new IOException(reference + ": a registry reference needs the network, and --offline forbids it "
                    + "(scan a saved image instead: skopeo copy docker://" + reference + " docker-archive:image.tar)");
        };
    }
}
