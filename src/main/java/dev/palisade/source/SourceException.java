package dev.palisade.source;

/**
 * The artifact as a whole cannot be read: not found, not a format Palisade knows, its manifest or
 * configuration unreadable. The message says what, where and why. The CLI maps it to exit code 2.
 */
public class SourceException extends Exception {
    public SourceException(String message) {
        super(message);
    }

    public SourceException(String message, Throwable cause) {
        super(message, cause);
    }
}
