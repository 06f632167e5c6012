package dev.palisade.catalog;

import dev.palisade.catalog.dpkg.DpkgStatusCataloger;
import dev.palisade.catalog.java.JavaArchiveCataloger;
import dev.palisade.catalog.java.KnownMavenGroups;
import dev.palisade.source.ArtifactKind;
import java.util.ArrayList;
import java.util.List;

/**
 * The catalogers for each kind of artifact, listed here explicitly (no self-registration). Images and
 * root filesystems are read for installed packages only; project directories and function packages
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
                new JavaArchiveCataloger(KnownMavenGroups.load()));
    }

    /** Lock files and manifests: what a build resolves to. */
    public static List<Cataloger> lockFiles() {
        return List.of();
    }
}
