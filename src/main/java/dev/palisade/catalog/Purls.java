package dev.palisade.catalog;

import com.github.packageurl.MalformedPackageURLException;
import com.github.packageurl.PackageURL;
import com.github.packageurl.PackageURLBuilder;
import dev.palisade.inventory.Ecosystem;
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
            return builder.build().canonicalize();
        } catch (MalformedPackageURLException e) {
            throw new IllegalArgumentException(
                    "cannot build a purl for " + ecosystem + " " + name + "@" + version + ": " + e.getMessage(), e);
        }
    }

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

    public static PackageURL parse(String purl) throws MalformedPackageURLException {
        return new PackageURL(purl);
    }
}
