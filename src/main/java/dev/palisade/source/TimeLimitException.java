package dev.palisade.source;

/** The scan ran past its --timeout: reading stops where it is, and what was read so far is kept. */
public final class TimeLimitException extends ArtifactLimitException {
    public TimeLimitException(String message) {
        super(message);
    }
}
