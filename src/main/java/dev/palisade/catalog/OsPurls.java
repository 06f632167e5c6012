package dev.palisade.catalog;

import dev.palisade.inventory.Ecosystem;
import dev.palisade.inventory.OsRelease;
import dev.palisade.inventory.Package;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Package URLs of OS packages, which need the distribution: {@code pkg:deb/debian/libc6@2.36-9?arch=amd64&distro=debian-12}.
 * Catalogers of OS packages leave the purl empty; it is completed here once os-release is known.
 */
final class OsPurls {
    private OsPurls() {}

    static String purl(Package p, @Nullable OsRelease os) {
        String namespace = os != null ? namespace(os.id()) : defaultNamespace(p.ecosystem());
        Map<String, String> qualifiers = new LinkedHashMap<>();
        String arch = p.metadata().get("arch");
        if (arch != null) {
            qualifiers.put("arch", arch);
        }
        if (os != null) {
            qualifiers.put("distro", os.distroQualifier());
        }
        String epoch = p.metadata().get("epoch");
        if (epoch != null && p.ecosystem() == Ecosystem.RPM) {
            qualifiers.put("epoch", epoch);
        }
        if (p.sourceName() != null && !p.sourceName().equals(p.name())) {
            String upstream = p.sourceVersion() == null || p.sourceVersion().equals(p.version())
                    ? p.sourceName()
                    : p.sourceName() + "@" + p.sourceVersion();
            qualifiers.put("upstream", upstream);
        }
        return Purls.of(p.ecosystem(), namespace, p.name(), p.version(), qualifiers);
    }

    /** The purl namespace of a distribution: its vendor as package URLs name it, else its os-release ID. */
    static String namespace(String osId) {
        return switch (osId) {
            case "rhel" -> "redhat";
            case "sles", "sles_sap", "sled" -> "suse";
            case "opensuse-leap", "opensuse-leap-micro", "opensuse-tumbleweed" -> "opensuse";
            case "amzn" -> "amazon";
            case "ol" -> "oracle";
            default -> osId;
        };
    }

    private static String defaultNamespace(Ecosystem ecosystem) {
        return switch (ecosystem) {
            case DEBIAN -> "debian";
            case ALPINE -> "alpine";
            default -> "";
        };
    }
}
