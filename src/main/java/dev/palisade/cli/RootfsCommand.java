package dev.palisade.cli;

import dev.palisade.source.Artifact;
import dev.palisade.source.ArtifactKind;
import dev.palisade.source.DeploymentModel;
import dev.palisade.source.EntryPaths;
import dev.palisade.source.ScanLimits;
import dev.palisade.source.SourceException;
import dev.palisade.source.directory.DirectoryArtifact;
import dev.palisade.checks.CheckCatalog;
import dev.palisade.checks.HostChecks;
import dev.palisade.scan.InventoryScanner;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "rootfs", mixinStandardHelpOptions = true,
        description = "Inventory of a root filesystem: a VM's mounted disk, a chroot, or / itself.")
final class RootfsCommand extends ScanCommand {
    @Parameters(index = "0", paramLabel = "DIR", description = "The root directory.")
    Path root;

    @Option(names = "--skip-dirs", split = ",", paramLabel = "DIR",
            description = "Directories (relative to the root) not to read. Scanning / skips proc, sys, dev and run.")
    List<String> skipDirs = List.of();

    RootfsCommand(Environment environment) {
        super(environment);
    }

    @Override
    Checked checks(InventoryScanner.Scanned scanned, CheckCatalog catalog, ScanLimits limits) {
        return hostChecks(root, scanned, catalog);
    }

    @Override
    Artifact open(ScanLimits limits) throws SourceException {
        return openRoot(root, skipDirs, limits);
    }

    /** The virtual machine checks on a root file system, knowing which packages are installed. */
    static Checked hostChecks(Path root, InventoryScanner.Scanned scanned, CheckCatalog catalog) {
        Set<String> installed = new HashSet<>();
        scanned.inventory().packages().forEach(p -> installed.add(p.name()));
        return new Checked(new HostChecks(catalog).evaluate(root, scanned.tree(), installed), List.of());
    }

    /** A root file system; the live root skips proc, sys, dev and run. */
    static Artifact openRoot(Path root, List<String> skipDirs, ScanLimits limits) throws SourceException {
        Set<String> skips = new HashSet<>();
        for (String dir : skipDirs) {
            EntryPaths.normalize(dir).filter(d -> !d.isEmpty()).ifPresent(skips::add);
        }
        try {
            if (root.toRealPath().getParent() == null) {
                skips.addAll(DirectoryArtifact.LIVE_ROOT_SKIPS);
            }
        } catch (IOException e) {
            throw new SourceException(root + ": cannot be read: " + e.getMessage(), e);
        }
        return DirectoryArtifact.open(root, ArtifactKind.ROOTFS, DeploymentModel.VM, skips, limits);
    }
}
