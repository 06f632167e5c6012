package dev.palisade.cli;

import dev.palisade.scan.ScanTarget;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(
        name = "rootfs",
        footerHeading = "%nExamples:%n",
        footer = {
            "  palisade rootfs /mnt/vm-disk",
            "  palisade rootfs ./chroot --skip-dirs var/cache,tmp --format json -o rootfs.json"
        },
        mixinStandardHelpOptions = true,
        description = "Inventory of a root filesystem: a VM's mounted disk, a chroot, or / itself.")
final class RootfsCommand extends MachineScanCommand {
    @Parameters(index = "0", paramLabel = "DIR", description = "The root directory.")
    Path root;

    RootfsCommand(Environment environment) {
        super(environment);
    }

    @Override
    ScanTarget target() {
        return new ScanTarget.RootFilesystem(root, literalSkipDirs());
    }
}
