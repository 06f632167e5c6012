package dev.palisade.maven;

import com.github.packageurl.MalformedPackageURLException;
import com.github.packageurl.PackageURL;
import java.util.List;
import java.util.Objects;
import java.util.TreeMap;

/**
 * One artifact Maven resolved for the project.
 *
 * @param scope Maven's scope: compile, runtime, provided, test or system
 * @param trail how it got there, from the project down to this artifact, as Maven's artifact ids
 *     ({@code group:artifact:type:version}); a direct dependency's trail has two entries
 */
record ResolvedDependency(
        String groupId,
        String artifactId,
        String version,
        String type,
        String classifier,
        String scope,
        List<String> trail) {
    ResolvedDependency {
        Objects.requireNonNull(groupId, "groupId");
        Objects.requireNonNull(artifactId, "artifactId");
        Objects.requireNonNull(version, "version");
        type = type == null ? "jar" : type;
        classifier = classifier == null ? "" : classifier;
        scope = scope == null || scope.isEmpty() ? "compile" : scope;
        trail = List.copyOf(trail);
    }

    /** Its Package URL, as Palisade's catalogers write Maven ones (type and classifier only when not plain jar). */
    String purl() {
        return purl(groupId, artifactId, version, type, classifier);
    }

    static String purl(String groupId, String artifactId, String version, String type, String classifier) {
        TreeMap<String, String> qualifiers = new TreeMap<>();
        if (!classifier.isEmpty()) {
            qualifiers.put("classifier", classifier);
        }
        if (!type.equals("jar")) {
            qualifiers.put("type", type);
        }
        try {
            return new PackageURL("maven", groupId, artifactId, version, qualifiers.isEmpty() ? null : qualifiers, null)
                    .canonicalize();
        } catch (MalformedPackageURLException e) {
            throw new IllegalArgumentException(
                    "cannot name " + groupId + ":" + artifactId + ":" + version + " as a package URL: "
                            + e.getMessage(),
                    e);
        }
    }

    /** The dependency that brought this one in, as a Maven artifact id, or empty for a direct dependency. */
    String parentId() {
        return trail.size() < 3 ? "" : trail.get(trail.size() - 2);
    }

    /** {@code group:artifact:version}, as people write a dependency. */
    String coordinates() {
        return groupId + ":" + artifactId + ":" + version;
    }

    /** The trail for people: {@code direct}, or {@code via a:b:1.0 -> c:d:2.0}. */
    String describeTrail() {
        if (trail.size() < 3) {
            return "direct";
        }
        return "via "
                + String.join(
                        " -> ",
                        trail.subList(1, trail.size() - 1).stream()
                                .map(ResolvedDependency::withoutType)
                                .toList());
    }

    /** {@code group:artifact:type:version} (Maven's artifact id) written as {@code group:artifact:version}. */
    static String withoutType(String artifactId) {
        String[] parts = artifactId.split(":");
        return parts.length == 4 ? parts[0] + ":" + parts[1] + ":" + parts[3] : artifactId;
    }
}
