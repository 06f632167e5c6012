package dev.palisade.cli;

import dev.palisade.checks.LearnedProfile;
import dev.palisade.scan.ScanTarget;
import java.io.IOException;
import java.nio.file.Path;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
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
final class RootfsCommand extends ScanCommand {
    @Parameters(index = "0", paramLabel = "DIR", description = "The root directory.")
    Path root;

    @Mixin
    LearnedOption learnedOption = new LearnedOption();

    @Override
    @Nullable
    LearnedProfile learned() throws IOException {
        return learnedOption.read();
    }

    @Option(
            names = "--benchmark",
            paramLabel = "PROFILE",
            description = "Run exactly the host checks of one benchmark profile (cis-level1, cis-level2; see "
                    + "palisade checks list --benchmark) and report each as pass, fail or not-applicable, in the "
                    + "table or json format. --exit-code N applies when a check fails.")
    @org.jspecify.annotations.Nullable
    String benchmark;

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
        return new ScanTarget.RootFilesystem(root, literalSkipDirs());
    }

    @Override
    @org.jspecify.annotations.Nullable
    String benchmark() {
        return benchmark;
    }
}
