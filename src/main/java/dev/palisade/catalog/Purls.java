package dev.palisade.catalog;

import com.github.packageurl.MalformedPackageURLException;
import com.github.packageurl.PackageURL;
import com.github.packageurl.PackageURLBuilder;
import dev.palisade.inventory.Ecosystem;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/** Builds Package URLs (purl spec) for each ecosystem, with packageurl-java doing the encoding. */
public final class Purls {
    private Purls() {}

    public static String of(Ecosystem ecosystem, @Nullable String namespace, String name, String version) {
        return of(ecosystem, namespace, name, version, Map.of());
    }

    public static String of(
            Ecosystem ecosystem,
            @Nullable String namespace,
            String name,
            String version,
            Map<String, String> qualifiers) {
        try {
            PackageURLBuilder builder = PackageURLBuilder.aPackageURL()
                    .withType(ecosystem.purlType())
                    .withName(name);
            if (namespace != null && !namespace.isEmpty()) {
                builder.withNamespace(namespace);
            }
            if (!version.isEmpty()) {
                builder.withVersion(version);
            }
            new TreeMap<>(qualifiers).forEach((k, v) -> {
                if (v != null && !v.isEmpty()) {
                    builder.withQualifier(k, v);
                }
            });
            return canonical(builder.build());
        } catch (MalformedPackageURLException e) {
            throw new IllegalArgumentException(
                    "cannot build a purl for " + ecosystem + " " + name + "@" + version + ": " + e.getMessage(), e);
        }
    }

    /**
     * The canonical form of {@code purl}, as {@link PackageURL#canonicalize()} writes it but with every byte that
     * needs escaping written as two hex digits. packageurl-java 1.5.0 (the newest served here) writes a byte below
     * 0x10 with one digit ({@code \n} as {@code %A}) and one above 0x7F sign-extended ({@code %FFFFFFC4}): a purl
     * that no parser reads back, so a stored inventory lost the package and its findings looked resolved.
     */
    public static String canonical(PackageURL purl) {
        StringBuilder out = new StringBuilder("pkg:").append(purl.getType()).append('/');
        if (purl.getNamespace() != null) {
            appendPath(out, purl.getNamespace());
            out.append('/');
        }
        out.append(encode(purl.getName()));
        if (purl.getVersion() != null) {
            out.append('@').append(encode(purl.getVersion()));
        }
        Map<String, String> qualifiers = purl.getQualifiers();
        if (qualifiers != null && !qualifiers.isEmpty()) {
            out.append('?');
            String separator = "";
            for (Map.Entry<String, String> qualifier : new TreeMap<>(qualifiers).entrySet()) {
                out.append(separator).append(qualifier.getKey()).append('=').append(encode(qualifier.getValue()));
                separator = "&";
            }
        }
        if (purl.getSubpath() != null) {
            out.append('#');
            appendPath(out, purl.getSubpath());
        }
        return out.toString();
    }

    private static void appendPath(StringBuilder out, String path) {
        String separator = "";
        for (String segment : path.split("/", -1)) {
            out.append(separator).append(encode(segment));
            separator = "/";
        }
    }

    /** RFC 3986's unreserved characters as they are, every other UTF-8 byte as %XX. */
    private static String encode(String value) {
        StringBuilder out = new StringBuilder(value.length());
        for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if ((c >= 'a' && c <= 'z')
                    || (c >= 'A' && c <= 'Z')
                    || (c >= '0' && c <= '9')
                    || c == '-'
                    || c == '.'
                    || c == '_'
                    || c == '~') {
                out.append((char) c);
            } else {
                out.append('%').append(HEX[c >> 4]).append(HEX[c & 0xf]);
            }
        }
        return out.toString();
    }

    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    /**
     * False for a name that makes no Package URL: empty, or with an empty segment between its slashes
     * ({@code @babel/}, {@code /vendor/name}, {@code golang.org//x}). Catalogers skip such an entry and
     * report it, instead of losing the whole file to the exception {@link #of} would throw.
     */
    public static boolean hasName(String fullName) {
        return !fullName.isEmpty() && !fullName.startsWith("/") && !fullName.endsWith("/") && !fullName.contains("//");
    }

    /**
     * False for Maven coordinates that make no Package URL: an empty group or artifact id (a Maven purl needs
     * both), or a group id with an empty segment between slashes (no real group id has a slash at all). As with
     * {@link #hasName}, catalogers skip and report such an entry instead of losing the file to the exception
     * {@link #of} would throw.
     */
    public static boolean isMavenCoordinate(String groupId, String artifactId) {
        return !artifactId.isEmpty() && hasName(groupId);
    }

    /** npm and Composer names carry their scope or vendor: {@code @babel/core}, {@code symfony/http-kernel}. */
    public static String scoped(Ecosystem ecosystem, String fullName, String version) {
        int slash = fullName.lastIndexOf('/');
        if (slash <= 0) {
            return of(ecosystem, null, fullName, version);
        }
        return of(ecosystem, fullName.substring(0, slash), fullName.substring(slash + 1), version);
    }

    /**
     * {@code purl} read, with the UTF-8 its escapes encode. packageurl-java 1.5.0 decodes each {@code %XX} as one
     * ISO-8859-1 character ({@code %C4%B0}, İ, read as {@code Ä°}) and lowercases some names after that, so every
     * rewrite changed such a purl again. It reads literal non-ASCII text right, so escaped runs of bytes above 0x7F
     * that are valid UTF-8 are turned into their characters first; a run that is not UTF-8 is left to its reading.
     */
    public static PackageURL parse(String purl) throws MalformedPackageURLException {
        return new PackageURL(decodeEscapedUtf8(purl));
    }

    static String decodeEscapedUtf8(String purl) {
        int first = nextHighEscape(purl, 0);
        if (first < 0) {
            return purl; // the usual case: nothing but ASCII escapes, if any
        }
        StringBuilder out = new StringBuilder(purl.length()).append(purl, 0, first);
        int i = first;
        while (i < purl.length()) {
            if (!isHighEscape(purl, i)) {
                out.append(purl.charAt(i++));
                continue;
            }
            int end = i;
            java.io.ByteArrayOutputStream run = new java.io.ByteArrayOutputStream();
            while (isHighEscape(purl, end)) {
                run.write(Character.digit(purl.charAt(end + 1), 16) << 4 | Character.digit(purl.charAt(end + 2), 16));
                end += 3;
            }
            try {
                out.append(StandardCharsets.UTF_8
                        .newDecoder()
                        .onMalformedInput(java.nio.charset.CodingErrorAction.REPORT)
                        .onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPORT)
                        .decode(java.nio.ByteBuffer.wrap(run.toByteArray())));
            } catch (java.nio.charset.CharacterCodingException e) {
                out.append(purl, i, end); // not UTF-8: the escapes as they were
            }
            i = end;
        }
        return out.toString();
    }

    private static int nextHighEscape(String purl, int from) {
        for (int i = purl.indexOf('%', from); i >= 0; i = purl.indexOf('%', i + 1)) {
            if (isHighEscape(purl, i)) {
                return i;
            }
        }
        return -1;
    }

    /** {@code %XX} at {@code at} with XX of 0x80 or more: a byte of a non-ASCII character. */
    private static boolean isHighEscape(String purl, int at) {
        return at + 2 < purl.length()
                && purl.charAt(at) == '%'
                && Character.digit(purl.charAt(at + 1), 16) >= 8
                && Character.digit(purl.charAt(at + 2), 16) >= 0;
    }
}
