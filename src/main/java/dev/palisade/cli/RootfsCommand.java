package dev.palisade.cli;

import dev.palisade.scan.ScanTarget;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
        name = "rootfs",
        mixinStandardHelpOptions = true,
        description = "Inventory of a root filesystem: a VM's mounted disk, a chroot, or / itself.")
final class RootfsCommand extends ScanCommand {
    @Parameters(index = "0", paramLabel = "DIR", description = "The root directory.")
    Path root;

    @Option(
            names = "--skip-dirs",
            split = ",",
            paramLabel = "DIR",
            description = "Directories (relative to the root) not to read. Scanning / skips proc, sys, dev and run.")
    List<String> skipDirs = List.of();

    @Mixin
    PatchPlanOption patchPlan;

    RootfsCommand(Environment environment) {
        super(environment);
    }

    @Override
    boolean patchPlan() {
        return patchPlan.enabled;
    }

    @Override
    ScanTarget target() {
        return new ScanTarget.RootFilesystem(root, skipDirs);
    }
}
