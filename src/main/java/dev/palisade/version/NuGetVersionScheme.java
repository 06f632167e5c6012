package dev.palisade.version;

import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * NuGet's {@code NuGetVersion} ordering: up to four numeric parts (missing ones are 0), then SemVer 2
 * pre-release labels compared case-insensitively, a release above its pre-releases; metadata ignored.
 */
public final class NuGetVersionScheme implements VersionScheme {
    private static final Pattern VERSION = Pattern.compile(
            "^(\\d+)(?:\\.(\\d+))?(?:\\.(\\d+))?(?:\\.(\\d+))?(?:-([0-9A-Za-z-]+(?:\\.[0-9A-Za-z-]+)*+))?(?:\\+[0-9A-Za-z-.]+)?$");

    @Override
    public String id() {
        return "nuget";
    }

    @Override
    public void validate(String version) throws InvalidVersionException {
        parse(version);
    }

    private Matcher parse(String version) throws InvalidVersionException {
        Matcher m = VERSION.matcher(version.strip());
        if (!m.matches()) {
            throw new InvalidVersionException(id(), version, "not a NuGet version");
        }
        return m;
    }

    @Override
    public int compare(String left, String right) throws InvalidVersionException {
        Matcher a = parse(left);
        Matcher b = parse(right);
        for (int g = 1; g <= 4; g++) {
            int c = VersionChars.compareDigits(
                    a.group(g) == null ? "0" : a.group(g), b.group(g) == null ? "0" : b.group(g));
            if (c != 0) {
                return c;
            }
        }
        String pa = a.group(5);
        String pb = b.group(5);
        if (pa == null || pb == null) {
            return pa == null && pb == null ? 0 : (pa == null ? 1 : -1);
        }
        List<String> la = List.of(pa.toLowerCase(Locale.ROOT).split("\\."));
        List<String> lb = List.of(pb.toLowerCase(Locale.ROOT).split("\\."));
        for (int i = 0; i < Math.min(la.size(), lb.size()); i++) {
            String x = la.get(i);
            String y = lb.get(i);
            boolean xn = VersionChars.isDigits(x);
            boolean yn = VersionChars.isDigits(y);
            int c;
            if (xn && yn) {
                c = VersionChars.compareDigits(x, y);
            } else if (xn != yn) {
                c = xn ? -1 : 1;
            } else {
                c = x.compareTo(y);
            }
            if (c != 0) {
                return Integer.signum(c);
            }
        }
        return Integer.signum(Integer.compare(la.size(), lb.size()));
    }
}
