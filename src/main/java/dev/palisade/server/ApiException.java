package dev.palisade.server;

/** A request the API refuses: the status to answer with and a message the caller can act on. */
final class ApiException extends RuntimeException {
    private final int status;

    ApiException(int status, String message) {
        super(message);
        this.status = status;
    }

    int status() {
        return status;
    }
}
