package dev.palisade.version;

/** A version string that its ecosystem's rules do not accept, with the reason. */
public class InvalidVersionException extends Exception {
    private final String version;
    private final String scheme;

    public InvalidVersionException(String scheme, String version, String reason) {
        super("'" + version + "' is not a valid " + scheme + " version: " + reason);
        this.version = version;
        this.scheme = scheme;
    }

    public String version() {
        return version;
    }

    public String scheme() {
        return scheme;
    }
}
