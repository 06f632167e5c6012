package dev.palisade.version;

/**
 * dpkg's version ordering ({@code deb-version(7)}, {@code lib/dpkg/version.c}): {@code [epoch:]upstream[-revision]},
 * compared epoch first, then upstream and revision with {@code verrevcmp}: runs of non-digits compare
 * character by character with letters before other characters and {@code ~} before everything, even the
 * end; runs of digits compare numerically.
 */
public final class DebianVersionScheme implements VersionScheme {
    record Parsed(long epoch, String upstream, String revision) {}

    @Override
    public String id() {
        return "deb";
    }

    @Override
    public int compare(String left, String right) throws InvalidVersionException {
        Parsed a = parse(left);
        Parsed b = parse(right);
        if (a.epoch != b.epoch) {
            return a.epoch < b.epoch ? -1 : 1;
        }
        int upstream = verrevcmp(a.upstream, b.upstream);
        if (upstream != 0) {
            return Integer.signum(upstream);
        }
        return Integer.signum(verrevcmp(a.revision, b.revision));
    }

    @Override
    public void validate(String version) throws InvalidVersionException {
        parse(version);
    }

    Parsed parse(String raw) throws InvalidVersionException {
        String s = raw.strip();
        if (s.isEmpty()) {
            throw invalid(raw, "empty");
        }
        for (int i = 0; i < s.length(); i++) {
            if (Character.isWhitespace(s.charAt(i))) {
                throw invalid(raw, "contains a space");
            }
        }
        long epoch = 0;
        String rest = s;
        int colon = s.indexOf(':');
        if (colon >= 0) {
            String epochText = s.substring(0, colon);
            if (epochText.isEmpty() || !epochText.chars().allMatch(c -> c >= '0' && c <= '9')) {
                throw invalid(raw, "epoch is not a number");
            }
            if (epochText.length() > 10 || Long.parseLong(epochText) > Integer.MAX_VALUE) {
                throw invalid(raw, "epoch is too big");
            }
            epoch = Long.parseLong(epochText);
            rest = s.substring(colon + 1);
        }
        if (rest.isEmpty()) {
            throw invalid(raw, "nothing after the epoch");
        }
        int hyphen = rest.lastIndexOf('-');
        String upstream = hyphen >= 0 ? rest.substring(0, hyphen) : rest;
        String revision = hyphen >= 0 ? rest.substring(hyphen + 1) : "";
        if (upstream.isEmpty()) {
            throw invalid(raw, "empty upstream version");
        }
        for (int i = 0; i < upstream.length(); i++) {
            char c = upstream.charAt(i);
            if (!VersionChars.isAlnum(c) && ".-+~:".indexOf(c) < 0) {
                throw invalid(
                        raw,
                        "invalid character '" + InvalidVersionException.shown(String.valueOf(c))
                                + "' in upstream version");
            }
        }
        for (int i = 0; i < revision.length(); i++) {
            char c = revision.charAt(i);
            if (!VersionChars.isAlnum(c) && ".+~".indexOf(c) < 0) {
                throw invalid(
                        raw,
                        "invalid character '" + InvalidVersionException.shown(String.valueOf(c)) + "' in revision");
            }
        }
        return new Parsed(epoch, upstream, revision);
    }

    static int verrevcmp(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() || j < b.length()) {
            int firstDiff = 0;
            while ((i < a.length() && !VersionChars.isDigit(a.charAt(i)))
                    || (j < b.length() && !VersionChars.isDigit(b.charAt(j)))) {
                int ac = order(a, i);
                int bc = order(b, j);
                if (ac != bc) {
                    return ac - bc;
                }
                i++;
                j++;
            }
            while (i < a.length() && a.charAt(i) == '0') {
                i++;
            }
            while (j < b.length() && b.charAt(j) == '0') {
                j++;
            }
            while (i < a.length()
                    && VersionChars.isDigit(a.charAt(i))
                    && j < b.length()
                    && VersionChars.isDigit(b.charAt(j))) {
                if (firstDiff == 0) {
                    firstDiff = a.charAt(i) - b.charAt(j);
                }
                i++;
                j++;
            }
            if (i < a.length() && VersionChars.isDigit(a.charAt(i))) {
                return 1;
            }
            if (j < b.length() && VersionChars.isDigit(b.charAt(j))) {
                return -1;
            }
            if (firstDiff != 0) {
                return firstDiff;
            }
        }
        return 0;
    }

    private static int order(String s, int i) {
        if (i >= s.length()) {
            return 0;
        }
        char c = s.charAt(i);
        if (VersionChars.isDigit(c)) {
            return 0;
        }
        if (VersionChars.isAlpha(c)) {
            return c;
        }
        if (c == '~') {
            return -1;
        }
        return c + 256;
    }

    private InvalidVersionException invalid(String version, String reason) {
        return new InvalidVersionException(id(), version, reason);
    }
}
