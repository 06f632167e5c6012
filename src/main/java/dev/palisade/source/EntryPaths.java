package dev.palisade.source;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;

/** Normalises the paths archives and directories state into paths relative to the artifact's root. */
public final class EntryPaths {
    private EntryPaths() {}

    /**
     * {@code raw} as a clean relative path ({@code ./usr//bin/../lib/} becomes {@code usr/lib});
     * empty when it would climb above the root or holds a NUL character. The root itself is "".
     */
    public static Optional<String> normalize(String raw) {
        if (raw.indexOf('\0') >= 0) {
            return Optional.empty();
        }
        Deque<String> parts = new ArrayDeque<>();
        int start = 0;
        int length = raw.length();
        while (start <= length) {
            int slash = raw.indexOf('/', start);
            int end = slash < 0 ? length : slash;
            String part = raw.substring(start, end);
            if (part.isEmpty() || part.equals(".")) {
                // skip
            } else if (part.equals("..")) {
                if (parts.isEmpty()) {
                    return Optional.empty();
                }
                parts.removeLast();
            } else {
                parts.addLast(part);
            }
            start = end + 1;
        }
        return Optional.of(String.join("/", parts));
    }

    public static String parent(String path) {
        int slash = path.lastIndexOf('/');
        return slash < 0 ? "" : path.substring(0, slash);
    }

    public static String name(String path) {
        int slash = path.lastIndexOf('/');
        return slash < 0 ? path : path.substring(slash + 1);
    }

    public static String join(String parent, String name) {
        return parent.isEmpty() ? name : parent + "/" + name;
    }
}
