package dev.palisade.scan;

import dev.palisade.engine.EngineException;
import dev.palisade.source.Deadline;
import java.io.IOException;
import java.nio.file.Path;

/** How the pipeline reaches local container engines: where they listen and where exports go is the entry point's business. */
public interface EngineAccess {
    /**
     * Exports {@code image} from {@code engine} into a new docker-archive file, which the caller deletes.
     *
     * @param engine {@link ImageSource#DOCKER} or {@link ImageSource#PODMAN}
     * @throws EngineException when the engine is not there or does not have the image: the next source is tried
     * @throws IOException when the export cannot be kept (a limit, the disk): the scan stops
     */
    Path export(ImageSource engine, String image, long maxBytes, Deadline deadline) throws IOException;

    /** No engine: every engine source is unavailable. */
    static EngineAccess none() {
        return (engine, image, maxBytes, deadline) -> {
            throw new EngineException(EngineException.Reason.UNAVAILABLE, "local engines are not used here");
        };
    }
}
