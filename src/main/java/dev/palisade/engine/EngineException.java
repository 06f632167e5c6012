package dev.palisade.engine;

import java.io.IOException;

/** An engine that could not give the image: not running, no such image, or a failed export. */
public final class EngineException extends IOException {
    private static final long serialVersionUID = 1L;

    /** Why the engine could not give the image. */
    public enum Reason {
        /** Nothing listens where the engine should be. */
        UNAVAILABLE,
        /** The engine runs but does not have the image. */
        NOT_FOUND,
        /** The engine answered with an error, or broke off the export. */
        FAILED
    }

    private final Reason reason;

    public EngineException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public EngineException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
