package dev.palisade.catalog;

import dev.palisade.catalog.apk.ApkInstalledCataloger;
import dev.palisade.catalog.dotnet.DotnetCataloger;
import dev.palisade.catalog.dpkg.DpkgCopyrightCataloger;
import dev.palisade.catalog.dpkg.DpkgStatusCataloger;
import dev.palisade.catalog.golang.GoBinaryCataloger;
import dev.palisade.catalog.golang.GoModCataloger;
import dev.palisade.catalog.gradle.GradleDependenciesCataloger;
import dev.palisade.catalog.gradle.GradleLockfileCataloger;
import dev.palisade.catalog.gradle.GradleVerificationMetadataCataloger;
import dev.palisade.catalog.java.JavaArchiveCataloger;
import dev.palisade.catalog.java.KnownMavenGroups;
import dev.palisade.catalog.npm.NpmInstalledCataloger;
import dev.palisade.catalog.npm.PackageLockCataloger;
import dev.palisade.catalog.npm.PnpmLockCataloger;
import dev.palisade.catalog.npm.YarnLockCataloger;
import dev.palisade.catalog.php.ComposerLockCataloger;
import dev.palisade.catalog.python.PythonInstalledCataloger;
import dev.palisade.catalog.python.PythonLockCataloger;
import dev.palisade.catalog.rpm.RpmDbCataloger;
import dev.palisade.catalog.ruby.GemfileLockCataloger;
import dev.palisade.catalog.rust.CargoLockCataloger;
import dev.palisade.source.ArtifactKind;
import java.util.ArrayList;
import java.util.List;

/**
 * The catalogers for each kind of artifact, listed here explicitly (no self-registration). Images and
 * root filesystems are read for installed packages (and .NET deps files, which are what a built app ships); project directories and function packages
 * also for lock files and manifests, which describe what a build will install.
 */
public final class Catalogers {
    private Catalogers() {}

    public static List<Cataloger> forKind(ArtifactKind kind) {
        List<Cataloger> catalogers = new ArrayList<>(installed());
        if (kind == ArtifactKind.DIRECTORY || kind == ArtifactKind.FUNCTION) {
            catalogers.addAll(lockFiles());
        }
        return List.copyOf(catalogers);
    }

    /** Metadata written when packages are installed: what is really there. */
    public static List<Cataloger> installed() {
        return List.of(
                new DpkgStatusCataloger(),
                new DpkgCopyrightCataloger(),
                new ApkInstalledCataloger(),
                new RpmDbCataloger(),
                new JavaArchiveCataloger(KnownMavenGroups.load()),
                new NpmInstalledCataloger(),
                new PythonInstalledCataloger(),
                new GoBinaryCataloger(),
                new DotnetCataloger(false));
    }

    /** Lock files and manifests: what a build resolves to. */
    public static List<Cataloger> lockFiles() {
        return List.of(
                new PackageLockCataloger(),
                new YarnLockCataloger(),
                new PnpmLockCataloger(),
                new PythonLockCataloger(),
                new GoModCataloger(),
                new CargoLockCataloger(),
                new GemfileLockCataloger(),
                new ComposerLockCataloger(),
                new DotnetCataloger(true),
                new GradleLockfileCataloger(),
                new GradleVerificationMetadataCataloger(),
                new GradleDependenciesCataloger());
    }
}
