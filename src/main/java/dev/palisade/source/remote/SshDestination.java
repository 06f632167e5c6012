package dev.palisade.source.remote;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Where to connect: {@code ssh://USER@HOST[:PORT]}. A password in the address is refused, since a
 * command line is visible to every user of the machine.
 */
public record SshDestination(String user, String host, int port) {
    public static final int DEFAULT_PORT = 22;
    private static final Pattern USER = Pattern.compile("[A-Za-z0-9._][A-Za-z0-9._-]{0,63}");

    public SshDestination {
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(host, "host");
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port " + port + " is not between 1 and 65535");
        }
    }

    /** Parses {@code ssh://USER@HOST[:PORT]}, IPv6 addresses in brackets; throws with a message a user can act on. */
    public static SshDestination parse(String text) {
        String usage = "expected ssh://USER@HOST[:PORT]";
        if (!text.startsWith("ssh://")) {
            throw new IllegalArgumentException("'" + safe(text) + "' is not an ssh:// address: " + usage);
        }
        URI uri;
        try {
            uri = new URI(text);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("'" + safe(text) + "' is not a valid address: " + usage);
        }
        String userInfo = uri.getRawUserInfo();
        if (userInfo == null || userInfo.isEmpty()) {
            throw new IllegalArgumentException("'" + safe(text) + "' names no user: " + usage);
        }
        if (userInfo.contains(":")) {
            throw new IllegalArgumentException(
                    "the address holds a password: passwords are never taken on the command line; use a key (-i)");
        }
        if (!USER.matcher(userInfo).matches()) {
            throw new IllegalArgumentException("'" + userInfo + "' is not a user name");
        }
        String host = uri.getHost();
        if (host == null || host.isEmpty()) {
            throw new IllegalArgumentException("'" + safe(text) + "' names no host: " + usage);
        }
        String path = uri.getRawPath();
        if ((path != null && !path.isEmpty() && !path.equals("/"))
                || uri.getRawQuery() != null
                || uri.getRawFragment() != null) {
            throw new IllegalArgumentException("'" + safe(text) + "' has a path or query: " + usage);
        }
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        return new SshDestination(userInfo, host, uri.getPort() < 0 ? DEFAULT_PORT : uri.getPort());
    }

    /** The address without any credential, as reports name the target. */
    @Override
    public String toString() {
        String shownHost = host.contains(":") ? "[" + host + "]" : host;
        return "ssh://" + user + "@" + shownHost + (port == DEFAULT_PORT ? "" : ":" + port);
    }

    /** What an error message may repeat of the text the user typed: never the part before an '@' (a password). */
    private static String safe(String text) {
        int at = text.lastIndexOf('@');
        return at < 0 ? text : "ssh://…" + text.substring(at);
    }
}
