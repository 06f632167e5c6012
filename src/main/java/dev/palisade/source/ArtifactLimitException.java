package dev.palisade.source;

import java.io.IOException;

/**
 * A bound on the artifact as a whole (total bytes, entries, time) was reached: reading stops, what was
 * found so far is kept and reported together with this reason. Per-file bounds use
 * {@link LimitExceededException} instead, which skips only that file.
 */
public class ArtifactLimitException extends IOException {
    public ArtifactLimitException(String message) {
        super(message);
    }
}
