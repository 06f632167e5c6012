package dev.palisade.server;

/** Where the server says what it does: the entry point writes it (text or JSON lines) to stderr. */
@FunctionalInterface
public interface ServerLog {
    enum Level {
        INFO,
        WARN,
        ERROR
    }

    void log(Level level, String message);

    default void info(String message) {
        log(Level.INFO, message);
    }

    /** Something failed that the server goes on without (a scan, a delivery, a scheduled update). */
    default void warn(String message) {
        log(Level.WARN, message);
    }

    /** Something failed that needs a person (an internal error, storage that cannot be reached). */
    default void error(String message) {
        log(Level.ERROR, message);
    }
}
