package dev.palisade.version;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * PEP 440 ordering, as {@code packaging.version.Version} implements it: epoch, release (trailing
 * zeros ignored), then pre-release ({@code a < b < rc}; a dev release of a final version sorts before
 * its pre-releases), post-release, dev release, and local version label (numbers above strings).
 * Spellings are normalised as PEP 440 says ({@code alpha}, {@code c}, {@code preview}, {@code rev},
 * {@code -1} as a post release, separators and case).
 */
public final class Pep440VersionScheme implements VersionScheme {
    private static final Pattern VERSION = Pattern.compile("^v?(?:(\\d+)!)?(\\d+(?:\\.\\d+)*+)"
            + "(?:[-_.]?(a|b|c|rc|alpha|beta|pre|preview)[-_.]?(\\d+)?)?"
            + "(?:-(\\d+)|[-_.]?(post|rev|r)[-_.]?(\\d+)?)?"
            + "(?:[-_.]?(dev)[-_.]?(\\d+)?)?"
            + "(?:\\+([a-z0-9]+(?:[-_.][a-z0-9]+)*+))?$");

    /** Stand-ins for packaging's Infinity and NegativeInfinity. */
    private static final int NEGATIVE_INFINITY = -1;

    private static final int PRESENT = 0;
    private static final int INFINITY = 1;

    record Parsed(
            Digits epoch,
            List<Digits> release,
            int preKind,
            int preLetter,
            Digits preNumber,
            int postKind,
            Digits post,
            int devKind,
            Digits dev,
            List<String> local) {}

    @Override
    public String id() {
        return "pep440";
    }

    @Override
    public void validate(String version) throws InvalidVersionException {
        parse(version);
    }

    Parsed parse(String raw) throws InvalidVersionException {
        Matcher m = VERSION.matcher(raw.strip().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new InvalidVersionException(id(), raw, "not a PEP 440 version");
        }
        Digits epoch = m.group(1) == null ? Digits.ZERO : new Digits(m.group(1));
        List<Digits> release = new ArrayList<>();
        for (String part : m.group(2).split("\\.")) {
            release.add(new Digits(part));
        }
        while (release.size() > 1 && release.get(release.size() - 1).isZero()) {
            release.remove(release.size() - 1);
        }
        boolean hasPre = m.group(3) != null;
        boolean hasPost = m.group(5) != null || m.group(6) != null;
        boolean hasDev = m.group(8) != null;
        int preLetter = 0;
        if (hasPre) {
            preLetter = switch (m.group(3)) {
                case "a", "alpha" -> 0;
                case "b", "beta" -> 1;
                default -> 2; // c, rc, pre, preview
            };
        }
        int preKind = hasPre ? PRESENT : (!hasPost && hasDev ? NEGATIVE_INFINITY : INFINITY);
        Digits preNumber = hasPre && m.group(4) != null ? new Digits(m.group(4)) : Digits.ZERO;
        Digits post =
                m.group(5) != null ? new Digits(m.group(5)) : m.group(7) != null ? new Digits(m.group(7)) : Digits.ZERO;
        Digits dev = hasDev && m.group(9) != null ? new Digits(m.group(9)) : Digits.ZERO;
        List<String> local =
                m.group(10) == null ? List.of() : List.of(m.group(10).split("[-_.]"));
        return new Parsed(
                epoch,
                release,
                preKind,
                preLetter,
                preNumber,
                hasPost ? PRESENT : NEGATIVE_INFINITY,
                post,
                hasDev ? PRESENT : INFINITY,
                dev,
                local);
    }

    @Override
    public int compare(String left, String right) throws InvalidVersionException {
        Parsed a = parse(left);
        Parsed b = parse(right);
        int c = a.epoch.compareTo(b.epoch);
        if (c != 0) {
            return Integer.signum(c);
        }
        for (int i = 0; i < Math.max(a.release.size(), b.release.size()); i++) {
            Digits x = i < a.release.size() ? a.release.get(i) : Digits.ZERO;
            Digits y = i < b.release.size() ? b.release.get(i) : Digits.ZERO;
            c = x.compareTo(y);
            if (c != 0) {
                return Integer.signum(c);
            }
        }
        c = Integer.compare(a.preKind, b.preKind);
        if (c == 0 && a.preKind == PRESENT) {
            c = Integer.compare(a.preLetter, b.preLetter);
            if (c == 0) {
                c = a.preNumber.compareTo(b.preNumber);
            }
        }
        if (c != 0) {
            return Integer.signum(c);
        }
        c = Integer.compare(a.postKind, b.postKind);
        if (c == 0 && a.postKind == PRESENT) {
            c = a.post.compareTo(b.post);
        }
        if (c != 0) {
            return Integer.signum(c);
        }
        c = Integer.compare(a.devKind, b.devKind);
        if (c == 0 && a.devKind == PRESENT) {
            c = a.dev.compareTo(b.dev);
        }
        if (c != 0) {
            return Integer.signum(c);
        }
        return compareLocal(a.local, b.local);
    }

    private static int compareLocal(List<String> a, List<String> b) {
        if (a.isEmpty() || b.isEmpty()) {
            return a.isEmpty() == b.isEmpty() ? 0 : (a.isEmpty() ? -1 : 1);
        }
        for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
            String x = a.get(i);
            String y = b.get(i);
            boolean xn = VersionChars.isDigits(x);
            boolean yn = VersionChars.isDigits(y);
            int c;
            if (xn && yn) {
                c = new Digits(x).compareTo(new Digits(y));
            } else if (xn != yn) {
                c = xn ? 1 : -1;
            } else {
                c = x.compareTo(y);
            }
            if (c != 0) {
                return Integer.signum(c);
            }
        }
        return Integer.signum(Integer.compare(a.size(), b.size()));
    }
}
