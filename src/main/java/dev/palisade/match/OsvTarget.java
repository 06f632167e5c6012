package dev.palisade.match;

import dev.palisade.inventory.OsRelease;
import dev.palisade.inventory.Package;
import dev.palisade.version.ApkVersionScheme;
import dev.palisade.version.ComposerVersionScheme;
import dev.palisade.version.DebianVersionScheme;
import dev.palisade.version.MavenVersionScheme;
import dev.palisade.version.NuGetVersionScheme;
import dev.palisade.version.Pep440VersionScheme;
import dev.palisade.version.RpmVersionScheme;
import dev.palisade.version.RubyGemsVersionScheme;
import dev.palisade.version.SemverVersionScheme;
import dev.palisade.version.VersionScheme;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * What to look a package up by in OSV: the ecosystems as OSV spells them (with the release for OS
 * packages), the names (the source package for Debian, Ubuntu and Alpine, whose advisories name source
 * packages), the version to compare, and the version scheme.
 *
 * @param ecosystems the OSV ecosystems to look in, in precedence order: within one advisory, the entries
 *     of the first ecosystem that lists the package decide (Ubuntu Pro's fixes come before the plain
 *     release's, so an ESM-patched package is judged by its ESM fix)
 * @param names the OSV package names to look up, the package's own first
 * @param semver the scheme for OSV {@code SEMVER} ranges in this ecosystem
 * @param module the RPM module stream the package was installed from ({@code nodejs:18}), or null; an
 *     advisory entry for a module stream applies only to packages of that stream
 */
public record OsvTarget(
        List<String> ecosystems,
        List<String> names,
        String version,
        VersionScheme scheme,
        VersionScheme semver,
        @Nullable String module) {
    private static final VersionScheme SEMVER = SemverVersionScheme.semver();
    /** The Go vulnerability database files the standard library under this name, the go command under "toolchain". */
    static final String GO_STDLIB = "stdlib";

    static final String GO_TOOLCHAIN = "toolchain";

    public OsvTarget {
        ecosystems = List.copyOf(ecosystems);
        names = List.copyOf(names);
        if (ecosystems.isEmpty() || names.isEmpty()) {
            throw new IllegalArgumentException("a target needs an ecosystem and a name");
        }
    }

    OsvTarget(String ecosystem, List<String> names, String version, VersionScheme scheme, VersionScheme semver) {
        this(List.of(ecosystem), names, version, scheme, semver, null);
    }

    OsvTarget(String ecosystem, String name, String version, VersionScheme scheme, VersionScheme semver) {
        this(List.of(ecosystem), List.of(name), version, scheme, semver, null);
    }

    /** The first ecosystem the package is looked up in. */
    public String ecosystem() {
        return ecosystems.get(0);
    }

    /** The name the package itself goes by in OSV. */
    public String name() {
        return names.get(0);
    }

    /** Empty, with the reason, when the package cannot be matched (an OS package without os-release...). */
    public static Optional<OsvTarget> of(Package p, @Nullable OsRelease os, StringBuilder reason) {
        return switch (p.ecosystem()) {
            case DEBIAN -> osTarget(p, os, reason);
            case ALPINE -> osTarget(p, os, reason);
            case RPM -> osTarget(p, os, reason);
            case MAVEN -> Optional.of(new OsvTarget("Maven", p.name(), p.version(), new MavenVersionScheme(), SEMVER));
            case NPM -> Optional.of(new OsvTarget("npm", p.name(), p.version(), SEMVER, SEMVER));
            case PYPI -> Optional.of(new OsvTarget("PyPI", p.name(), p.version(), new Pep440VersionScheme(), SEMVER));
            case GO -> Optional.of(goTarget(p));
            case CARGO -> Optional.of(new OsvTarget("crates.io", p.name(), p.version(), SEMVER, SEMVER));
            case GEM ->
                Optional.of(new OsvTarget("RubyGems", p.name(), p.version(), new RubyGemsVersionScheme(), SEMVER));
            case COMPOSER ->
                Optional.of(new OsvTarget("Packagist", p.name(), p.version(), new ComposerVersionScheme(), SEMVER));
            case NUGET -> Optional.of(new OsvTarget("NuGet", p.name(), p.version(), new NuGetVersionScheme(), SEMVER));
        };
    }

    private static Optional<OsvTarget> osTarget(Package p, @Nullable OsRelease os, StringBuilder reason) {
        if (os == null) {
            reason.append("no os-release: the distribution release is unknown, so OS advisories cannot be chosen");
            return Optional.empty();
        }
        Optional<DistroEcosystems.Release> release = DistroEcosystems.of(os, reason);
        if (release.isEmpty()) {
            return Optional.empty();
        }
        DistroEcosystems.Release r = release.get();
        if (r.packageFormat() != p.ecosystem()) {
            reason.append(p.ecosystem().name().toLowerCase(java.util.Locale.ROOT))
                    .append(" packages on ")
                    .append(os.id())
                    .append(' ')
                    .append(os.versionId())
                    .append(" belong to no distribution Palisade has advisories for");
            return Optional.empty();
        }
        String vendor = p.metadata().get("vendor");
        if (vendor != null && !r.shipsVendor(vendor)) {
            reason.append("packages of vendor \"")
                    .append(vendor.strip())
                    .append("\" are not covered by the ")
                    .append(os.id())
                    .append(" advisories (a third-party repository): check that vendor's own advisories");
            return Optional.empty();
        }
        String source = p.sourceName() != null ? p.sourceName() : p.name();
        String sourceVersion = p.sourceVersion() != null ? p.sourceVersion() : p.version();
        switch (p.ecosystem()) {
            case DEBIAN:
                return Optional.of(new OsvTarget(
                        r.ecosystems(), List.of(source), sourceVersion, new DebianVersionScheme(), SEMVER, null));
            case ALPINE:
                return Optional.of(new OsvTarget(
                        r.ecosystems(), List.of(source), p.version(), new ApkVersionScheme(), SEMVER, null));
            default:
                // Red Hat names binary RPMs, SUSE source RPMs, AlmaLinux and Rocky either: both are looked up
                return Optional.of(new OsvTarget(
                        r.ecosystems(),
                        distinct(p.name(), source),
                        rpmVersion(p),
                        new RpmVersionScheme(),
                        SEMVER,
                        moduleStream(p.metadata().get("modularityLabel"))));
        }
    }

    private static List<String> distinct(String first, String second) {
        return first.equals(second) ? List.of(first) : List.of(first, second);
    }

    /** {@code nodejs:18:8080020230524113304:63b34585} to {@code nodejs:18}: name and stream select the advisories. */
    static @Nullable String moduleStream(@Nullable String modularityLabel) {
        if (modularityLabel == null || modularityLabel.isBlank()) {
            return null;
        }
        String[] parts = modularityLabel.strip().split(":", -1);
        return parts.length >= 2 ? parts[0] + ":" + parts[1] : null;
    }

    /**
     * A Go binary's standard library is matched at its toolchain's version ({@code go1.22rc1}, which the
     * Go catalogers may also write {@code v1.22rc1}) against "stdlib"; the go command's own binary is
     * matched against "toolchain" too, where the Go database files the go command's vulnerabilities.
     */
    private static OsvTarget goTarget(Package p) {
        VersionScheme go = SemverVersionScheme.go();
        if (!p.name().equals(GO_STDLIB) && !p.name().equals(GO_TOOLCHAIN)) {
            return new OsvTarget("Go", p.name(), p.version(), go, go);
        }
        String version = p.version().strip();
        if (version.startsWith("v") && !go.isValid(version) && go.isValid(version.substring(1))) {
            version = version.substring(1);
        }
        List<String> names = new ArrayList<>(List.of(p.name()));
        if (p.name().equals(GO_STDLIB) && "cmd/go".equals(p.metadata().get("mainModulePath"))) {
            names.add(GO_TOOLCHAIN);
        }
        return new OsvTarget("Go", names, version, go, go);
    }

    /** The installed version with its epoch, unless the version already carries one. */
    private static String rpmVersion(Package p) {
        String epoch = p.metadata().get("epoch");
        if (epoch == null
                || epoch.isBlank()
                || epoch.strip().equals("0")
                || p.version().matches("^\\d+:.*")) {
            return p.version();
        }
        return epoch.strip() + ":" + p.version();
    }
}
