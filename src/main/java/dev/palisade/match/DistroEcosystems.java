package dev.palisade.match;

import dev.palisade.inventory.Ecosystem;
import dev.palisade.inventory.OsRelease;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The OSV ecosystems a distribution release's packages are matched in, from its os-release, spelt as
 * the OSV export spells them (the ecosystem list of the OSV schema): {@code Debian:12},
 * {@code Ubuntu:22.04:LTS}, {@code Red Hat:enterprise_linux:9::appstream}, {@code SUSE:Linux Enterprise
 * Server 15 SP5}, {@code openSUSE:Leap 15.5}, {@code Photon OS:5.0}, {@code Wolfi}...
 */
final class DistroEcosystems {
    private DistroEcosystems() {}

    private static final Pattern MAJOR_MINOR = Pattern.compile("^(\\d+)(?:\\.(\\d+))?.*");
    private static final Pattern UBUNTU_RELEASE = Pattern.compile("^(\\d\\d)\\.(\\d\\d)$");
    private static final Pattern SLE_RELEASE = Pattern.compile("^(\\d+)(?:\\.(\\d+))?$");

    /** Red Hat Enterprise Linux 8 and 9 split their packages into these repositories, each its own ecosystem. */
    private static final List<String> RHEL_REPOSITORIES = List.of(
            "baseos", "appstream", "crb", "supplementary", "highavailability", "resilientstorage", "sap", "sap_hana");

    private static final List<String> RHEL7_VARIANTS = List.of("server", "client", "workstation", "computenode");

    /** The SUSE Linux Enterprise 15 modules a server's packages come from; each is its own OSV ecosystem. */
    private static final List<String> SLE_MODULES = List.of(
            "Basesystem",
            "Server Applications",
            "Development Tools",
            "Desktop Applications",
            "Web and Scripting",
            "Containers",
            "Legacy",
            "Public Cloud",
            "Python 3",
            "Systems Management");

    /**
     * @param ecosystems in the precedence of {@link OsvTarget#ecosystems()}
     * @param packageFormat the packages these advisories are about
     * @param vendors words one of which an RPM's Vendor tag holds when the distribution built it; empty
     *     when the vendor is not checked
     */
    record Release(List<String> ecosystems, Ecosystem packageFormat, List<String> vendors) {
        Release {
            ecosystems = List.copyOf(ecosystems);
            vendors = List.copyOf(vendors);
        }

        boolean shipsVendor(String vendor) {
            if (vendors.isEmpty() || vendor.isBlank()) {
                return true;
            }
            String v = vendor.toLowerCase(Locale.ROOT);
            return vendors.stream().anyMatch(v::contains);
        }
    }

    static Optional<Release> of(OsRelease os, StringBuilder reason) {
        String id = os.id().toLowerCase(Locale.ROOT);
        String versionId = os.versionId().strip();
        Matcher version = MAJOR_MINOR.matcher(versionId);
        String major = version.matches() ? version.group(1) : versionId;
        switch (id) {
            case "debian":
                if (!version.matches()) {
                    return none(reason, "Debian without a numeric VERSION_ID (testing, sid) has no OSV release");
                }
                return Optional.of(new Release(List.of("Debian:" + major), Ecosystem.DEBIAN, List.of()));
            case "ubuntu":
                return ubuntu(os, versionId, reason);
            case "alpine": {
                String[] parts = versionId.split("\\.");
                String release = parts.length >= 2 ? "v" + parts[0] + "." + parts[1] : "v" + versionId;
                return Optional.of(new Release(List.of("Alpine:" + release), Ecosystem.ALPINE, List.of()));
            }
            case "wolfi":
                return Optional.of(new Release(List.of("Wolfi"), Ecosystem.ALPINE, List.of()));
            case "chainguard":
                return Optional.of(new Release(List.of("Chainguard", "Wolfi"), Ecosystem.ALPINE, List.of()));
            case "rhel":
                return redHat(major, version.matches() ? version.group(2) : null, reason);
            case "almalinux":
                return Optional.of(new Release(List.of("AlmaLinux:" + major), Ecosystem.RPM, List.of("almalinux")));
            case "rocky":
                return Optional.of(new Release(List.of("Rocky Linux:" + major), Ecosystem.RPM, List.of("rocky")));
            case "sles":
            case "sles_sap":
            case "sled":
                return suse(os, versionId, reason);
            case "opensuse-leap":
                return Optional.of(new Release(List.of("openSUSE:Leap " + versionId), Ecosystem.RPM, List.of("suse")));
            case "opensuse-leap-micro":
                return Optional.of(
                        new Release(List.of("openSUSE:Leap Micro " + versionId), Ecosystem.RPM, List.of("suse")));
            case "opensuse-tumbleweed":
                return Optional.of(new Release(List.of("openSUSE:Tumbleweed"), Ecosystem.RPM, List.of("suse")));
            case "photon": {
                String release =
                        version.matches() && version.group(2) != null ? major + "." + version.group(2) : major + ".0";
                return Optional.of(new Release(List.of("Photon OS:" + release), Ecosystem.RPM, List.of()));
            }
            case "amzn":
                return none(
                        reason,
                        "Amazon Linux " + versionId + " advisories (ALAS) are not published in OSV, so its packages"
                                + " were not checked; they are not known to be free of vulnerabilities");
            default:
                return none(
                        reason,
                        "OS advisories for " + os.id() + " " + versionId + " are not in the OSV export Palisade reads");
        }
    }

    /**
     * {@code Ubuntu:22.04:LTS}, and for an LTS release first {@code Ubuntu:Pro:22.04:LTS}: the Pro/ESM
     * fixes carry {@code +esm} versions that sort after the release's own, so an ESM-patched package is
     * judged by them, and an unpatched one learns the fix Ubuntu Pro has.
     */
    private static Optional<Release> ubuntu(OsRelease os, String versionId, StringBuilder reason) {
        Matcher m = UBUNTU_RELEASE.matcher(versionId);
        if (!m.matches()) {
            return none(reason, "Ubuntu VERSION_ID " + versionId + " is not a YY.MM release");
        }
        String pretty = os.prettyName() == null ? "" : os.prettyName();
        boolean lts = pretty.contains(" LTS") || (m.group(2).equals("04") && Integer.parseInt(m.group(1)) % 2 == 0);
        if (!lts) {
            return Optional.of(new Release(List.of("Ubuntu:" + versionId), Ecosystem.DEBIAN, List.of()));
        }
        return Optional.of(new Release(
                List.of("Ubuntu:Pro:" + versionId + ":LTS", "Ubuntu:" + versionId + ":LTS"),
                Ecosystem.DEBIAN,
                List.of()));
    }

    /**
     * Red Hat files advisories per product stream, a CPE without its prefix: {@code
     * enterprise_linux:9::baseos}. A package does not record which repository it came from, so every
     * repository stream of the release is looked in; extended-support streams ({@code rhel_eus}) are not,
     * as a host only gets those by subscription.
     */
    private static Optional<Release> redHat(String major, @Nullable String minor, StringBuilder reason) {
        List<String> ecosystems = new ArrayList<>();
        int number;
        try {
            number = Integer.parseInt(major);
        } catch (NumberFormatException e) {
            return none(reason, "Red Hat Enterprise Linux VERSION_ID " + major + " is not a release number");
        }
        if (number <= 7) {
            for (String variant : RHEL7_VARIANTS) {
                ecosystems.add("Red Hat:enterprise_linux:" + major + "::" + variant);
            }
        } else if (number <= 9) {
            for (String repository : RHEL_REPOSITORIES) {
                ecosystems.add("Red Hat:enterprise_linux:" + major + "::" + repository);
            }
        } else {
            // RHEL 10 streams are versioned by minor release
            if (minor != null) {
                ecosystems.add("Red Hat:enterprise_linux:" + major + "." + minor);
            }
            ecosystems.add("Red Hat:enterprise_linux:" + major);
            for (String repository : RHEL_REPOSITORIES) {
                ecosystems.add("Red Hat:enterprise_linux:" + major + "::" + repository);
            }
        }
        return Optional.of(new Release(ecosystems, Ecosystem.RPM, List.of("red hat")));
    }

    /**
     * {@code SUSE:Linux Enterprise Server 15 SP5} (os-release {@code VERSION_ID="15.5"}) and the modules of
     * that service pack, where most packages of a server come from.
     */
    private static Optional<Release> suse(OsRelease os, String versionId, StringBuilder reason) {
        Matcher m = SLE_RELEASE.matcher(versionId);
        if (!m.matches()) {
            return none(reason, "SUSE VERSION_ID " + versionId + " is not a release number");
        }
        String release = m.group(2) == null || m.group(2).equals("0") ? m.group(1) : m.group(1) + " SP" + m.group(2);
        String product =
                switch (os.id().toLowerCase(Locale.ROOT)) {
                    case "sles_sap" -> "Linux Enterprise Server for SAP Applications";
                    case "sled" -> "Linux Enterprise Desktop";
                    default -> "Linux Enterprise Server";
                };
        List<String> ecosystems = new ArrayList<>();
        ecosystems.add("SUSE:" + product + " " + release);
        if (!product.equals("Linux Enterprise Server")) {
            ecosystems.add("SUSE:Linux Enterprise Server " + release);
        }
        for (String module : SLE_MODULES) {
            ecosystems.add("SUSE:Linux Enterprise Module for " + module + " " + release);
        }
        return Optional.of(new Release(ecosystems, Ecosystem.RPM, List.of("suse")));
    }

    private static Optional<Release> none(StringBuilder reason, String why) {
        reason.append(why);
        return Optional.empty();
    }
}
