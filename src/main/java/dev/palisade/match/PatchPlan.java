package dev.palisade.match;

import dev.palisade.inventory.Ecosystem;
import dev.palisade.inventory.OsRelease;
import dev.palisade.inventory.Package;
import dev.palisade.version.InvalidVersionException;
import dev.palisade.version.VersionScheme;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Out-of-band patching of a machine: the operating-system packages that have a fix for a reported
 * vulnerability that is not installed yet, the most urgent first (known exploited, then severity),
 * each with the lowest version that closes all of its findings at once, and the one package-manager
 * command that installs exactly those versions. Binary packages built from one Debian or Alpine
 * source package move together, so every installed binary of an affected source is in the plan.
 *
 * @param manager the package manager the command is for: apt, dnf, zypper or apk
 * @param command the command, its arguments shell-quoted where needed; empty when nothing is to install
 * @param packages what to upgrade, most urgent first
 * @param leftOut the packages that have a fix but cannot be named safely on a command line, with why
 */
public record PatchPlan(String manager, String command, List<Upgrade> packages, List<String> leftOut) {
    /** Characters a package name or version may have on the command line without quoting. */
    private static final Pattern BARE = Pattern.compile("[A-Za-z0-9._+:=@~-]+");

    private static final Pattern PACKAGE_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._+~-]*");

    public PatchPlan {
        Objects.requireNonNull(manager, "manager");
        Objects.requireNonNull(command, "command");
        packages = List.copyOf(packages);
        leftOut = List.copyOf(leftOut);
    }

    /**
     * One package to upgrade.
     *
     * @param name the binary package's name
     * @param installed its installed version
     * @param fixedVersion the lowest version that fixes all its findings, in the advisories' terms (for
     *     Debian, the source package's version)
     * @param argument what the command names: {@code name=version}, {@code name-version}, or the name alone
     *     where the binary's version differs from its source's (a rebuilt binary) and the fixed binary
     *     version is not known
     * @param sourceName the source package, for Debian and Alpine
     * @param vulnerabilities the reported vulnerabilities the upgrade fixes
     * @param knownExploited whether any of them is in CISA KEV
     * @param severity the highest severity among them
     */
    public record Upgrade(
            String name,
            String installed,
            String fixedVersion,
            String argument,
            @Nullable String sourceName,
            List<String> vulnerabilities,
            boolean knownExploited,
            Severity severity) {
        public Upgrade {
            vulnerabilities = List.copyOf(vulnerabilities);
        }
    }

    /** The plan for the reported findings of a machine with these packages; empty when the OS is unknown. */
    public static PatchPlan of(List<Finding> findings, List<Package> packages, @Nullable OsRelease os) {
        Map<String, Wanted> byPackage = new LinkedHashMap<>();
        List<String> leftOut = new ArrayList<>();
        for (Finding f : findings) {
            Package p = f.pkg();
            if (!p.ecosystem().isOperatingSystem() || f.status() != Finding.Status.AFFECTED || !f.hasFix()) {
                continue;
            }
            StringBuilder reason = new StringBuilder();
            OsvTarget target = OsvTarget.of(p, os, reason).orElse(null);
            if (target == null) {
                continue;
            }
            String fix = lowestFixAbove(f.fixedVersions(), target.version(), target.scheme());
            if (fix == null) {
                continue;
            }
            Wanted wanted = byPackage.computeIfAbsent(key(p), k -> new Wanted(p, target.scheme()));
            wanted.add(f, fix);
        }
        // every installed binary of an affected Debian or Alpine source, at that source's version, moves together
        Map<String, List<Wanted>> bySource = new LinkedHashMap<>();
        for (Wanted w : List.copyOf(byPackage.values())) {
            Package p = w.pkg;
            if (p.sourceName() == null || (p.ecosystem() != Ecosystem.DEBIAN && p.ecosystem() != Ecosystem.ALPINE)) {
                continue;
            }
            String source = sourceKey(p);
            if (bySource.containsKey(source)) {
                continue;
            }
            List<Wanted> siblings = new ArrayList<>();
            for (Package sibling : packages) {
                if (sibling.sourceName() != null && sourceKey(sibling).equals(source)) {
                    siblings.add(byPackage.computeIfAbsent(key(sibling), k -> new Wanted(sibling, w.scheme)));
                }
            }
            bySource.put(source, siblings);
        }
        for (List<Wanted> siblings : bySource.values()) {
            Wanted all = new Wanted(siblings.get(0).pkg, siblings.get(0).scheme);
            siblings.forEach(all::join);
            siblings.forEach(w -> w.join(all));
        }
        String manager = manager(packages, os);
        List<Upgrade> upgrades = new ArrayList<>();
        for (Wanted w : byPackage.values()) {
            Package p = w.pkg;
            if (!PACKAGE_NAME.matcher(p.name()).matches()
                    || !BARE.matcher(Objects.requireNonNull(w.fix)).matches()) {
                leftOut.add(p.name() + ": the name or version is not one a package manager takes; upgrade it by hand");
                continue;
            }
            upgrades.add(new Upgrade(
                    p.name(),
                    p.version(),
                    w.fix,
                    argument(manager, p, w.fix),
                    p.ecosystem() == Ecosystem.RPM ? null : p.sourceName(),
                    List.copyOf(w.ids),
                    w.kev,
                    Objects.requireNonNull(w.severity)));
        }
        upgrades.sort(Comparator.comparing((Upgrade u) -> !u.knownExploited())
                .thenComparing(Upgrade::severity)
                .thenComparing(u -> u.sourceName() == null ? u.name() : u.sourceName())
                .thenComparing(Upgrade::name));
        return new PatchPlan(manager, command(manager, upgrades), upgrades, leftOut);
    }

    /** What a finding's fix is for this package: the lowest fixed version above the installed one. */
    private static @Nullable String lowestFixAbove(List<String> fixes, String installed, VersionScheme scheme) {
        String lowest = null;
        for (String fix : fixes) {
            try {
                if (scheme.compare(fix, installed) > 0 && (lowest == null || scheme.compare(fix, lowest) < 0)) {
                    lowest = fix;
                }
            } catch (InvalidVersionException e) {
                // a version the scheme cannot read is no install target
            }
        }
        return lowest;
    }

    private static String manager(List<Package> packages, @Nullable OsRelease os) {
        String id = os == null ? "" : os.id().toLowerCase(Locale.ROOT);
        String like = os == null || os.idLike() == null ? "" : os.idLike().toLowerCase(Locale.ROOT);
        if (id.equals("alpine") || id.equals("wolfi") || id.equals("chainguard")) {
            return "apk";
        }
        if (id.contains("suse") || id.equals("sles") || id.equals("sled") || like.contains("suse")) {
            return "zypper";
        }
        if (packages.stream().anyMatch(p -> p.ecosystem() == Ecosystem.RPM)
                && packages.stream().noneMatch(p -> p.ecosystem() == Ecosystem.DEBIAN)) {
            return "dnf";
        }
        if (packages.stream().anyMatch(p -> p.ecosystem() == Ecosystem.ALPINE)) {
            return "apk";
        }
        return "apt";
    }

    private static String argument(String manager, Package p, String fix) {
        return switch (manager) {
            case "dnf" -> p.name() + "-" + fix;
            case "apt" ->
                // a binary rebuilt apart from its source (a binNMU's +b1) has a version of its own: apt picks it
                p.sourceVersion() == null || p.sourceVersion().equals(p.version()) ? p.name() + "=" + fix : p.name();
            default -> p.name() + "=" + fix;
        };
    }

    private static String command(String manager, List<Upgrade> upgrades) {
        if (upgrades.isEmpty()) {
            return "";
        }
        String prefix =
                switch (manager) {
                    case "dnf" -> "dnf install";
                    case "zypper" -> "zypper install";
                    case "apk" -> "apk add";
                    default -> "apt-get install --only-upgrade";
                };
        StringBuilder command = new StringBuilder(prefix);
        new TreeSet<>(upgrades.stream().map(Upgrade::argument).toList())
                .forEach(a -> command.append(' ').append(quote(a)));
        return command.toString();
    }

    /** Bare unless a shell would change it: a tilde after {@code =} or {@code :} is expanded by bash. */
    static String quote(String argument) {
        if (BARE.matcher(argument).matches() && !argument.contains("=~") && !argument.contains(":~")) {
            return argument;
        }
        return "'" + argument.replace("'", "'\\''") + "'";
    }

    private static String key(Package p) {
        return p.ecosystem() + "|" + p.name();
    }

    private static String sourceKey(Package p) {
        return p.ecosystem() + "|" + p.sourceName() + "|"
                + (p.sourceVersion() != null ? p.sourceVersion() : p.version());
    }

    /** What one package needs: the highest of its findings' fixes, and what they are. */
    private static final class Wanted {
        final Package pkg;
        final VersionScheme scheme;
        final TreeSet<String> ids = new TreeSet<>();

        @Nullable
        String fix;

        boolean kev;
        /** The most severe of the findings (Severity sorts CRITICAL first). */
        @Nullable
        Severity severity;

        Wanted(Package pkg, VersionScheme scheme) {
            this.pkg = pkg;
            this.scheme = scheme;
        }

        void add(Finding f, String version) {
            ids.add(f.id());
            kev |= f.kev() != null;
            severity = severity == null || f.severity().compareTo(severity) < 0 ? f.severity() : severity;
            raise(version);
        }

        void join(Wanted other) {
            ids.addAll(other.ids);
            kev |= other.kev;
            if (other.severity != null && (severity == null || other.severity.compareTo(severity) < 0)) {
                severity = other.severity;
            }
            if (other.fix != null) {
                raise(other.fix);
            }
        }

        private void raise(String version) {
            try {
                if (fix == null || scheme.compare(version, fix) > 0) {
                    fix = version;
                }
            } catch (InvalidVersionException e) {
                // kept: lowestFixAbove only passes versions the scheme reads
            }
        }
    }
}
