package dev.palisade.version;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * RubyGems' {@code Gem::Version} ordering: segments of digits or letters, a {@code -} read as
 * {@code .pre.}, trailing zero segments ignored, and a string segment (a pre-release) below any number.
 */
public final class RubyGemsVersionScheme implements VersionScheme {
    private static final Pattern VALID =
            Pattern.compile("^[0-9]+(?:\\.[0-9a-zA-Z]+)*+(?:-[0-9A-Za-z-]+(?:\\.[0-9A-Za-z-]+)*+)?$");
    private static final Pattern SEGMENT = Pattern.compile("[0-9]+|[a-zA-Z]+");

    @Override
    public String id() {
        return "gem";
    }

    @Override
    public void validate(String version) throws InvalidVersionException {
        if (!VALID.matcher(version.strip()).matches()) {
            throw new InvalidVersionException(id(), version, "not a Gem::Version");
        }
    }

    @Override
    public int compare(String left, String right) throws InvalidVersionException {
        List<Object> a = canonical(left);
        List<Object> b = canonical(right);
        for (int i = 0; i < Math.max(a.size(), b.size()); i++) {
            Object x = i < a.size() ? a.get(i) : Digits.ZERO;
            Object y = i < b.size() ? b.get(i) : Digits.ZERO;
            if (x.equals(y)) {
                continue;
            }
            if (x instanceof String && y instanceof Digits) {
                return -1;
            }
            if (x instanceof Digits && y instanceof String) {
                return 1;
            }
            if (x instanceof Digits xi && y instanceof Digits yi) {
                return Integer.signum(xi.compareTo(yi));
            }
            return Integer.signum(((String) x).compareTo((String) y));
        }
        return 0;
    }

    /** {@code Gem::Version#canonical_segments}: numeric head and string tail, each without trailing zeros. */
    private List<Object> canonical(String version) throws InvalidVersionException {
        validate(version);
        String s = version.strip().replace("-", ".pre.");
        List<Object> segments = new ArrayList<>();
        Matcher m = SEGMENT.matcher(s);
        while (m.find()) {
            String g = m.group();
            segments.add(VersionChars.isDigit(g.charAt(0)) ? new Digits(g) : g);
        }
        int firstString = segments.size();
        for (int i = 0; i < segments.size(); i++) {
            if (segments.get(i) instanceof String) {
                firstString = i;
                break;
            }
        }
        List<Object> head = new ArrayList<>(segments.subList(0, firstString));
        List<Object> tail = new ArrayList<>(segments.subList(firstString, segments.size()));
        dropTrailingZeros(head);
        dropTrailingZeros(tail);
        head.addAll(tail);
        return head;
    }

    private static void dropTrailingZeros(List<Object> segments) {
        while (!segments.isEmpty() && Digits.ZERO.equals(segments.get(segments.size() - 1))) {
            segments.remove(segments.size() - 1);
        }
    }
}
