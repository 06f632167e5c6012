package dev.palisade.version;

/** A version string that its ecosystem's rules do not accept, with the reason. */
public class InvalidVersionException extends Exception {
    /** Versions come from untrusted files: the message shows at most this much of one. */
    private static final int SHOWN_CHARS = 64;

    private final String version;
    private final String scheme;

    public InvalidVersionException(String scheme, String version, String reason) {
        super("'" + shown(version) + "' is not a valid " + scheme + " version: " + reason);
        this.version = version;
        this.scheme = scheme;
    }

    public String version() {
        return version;
    }

    public String scheme() {
        return scheme;
    }

    /** The version as a user can read it on one line: control characters escaped, long ones cut. */
    static String shown(String version) {
        StringBuilder out = new StringBuilder();
        int end = Math.min(version.length(), SHOWN_CHARS);
        for (int i = 0; i < end; i++) {
            char c = version.charAt(i);
            if (Character.isISOControl(c) || Character.isSurrogate(c) || c == '\u2028' || c == '\u2029') {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        if (version.length() > end) {
            out.append("... (").append(version.length()).append(" characters)");
        }
        return out.toString();
    }
}
