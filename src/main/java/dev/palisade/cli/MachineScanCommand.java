package dev.palisade.cli;

import dev.palisade.checks.LearnedProfile;
import java.io.IOException;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The commands that scan one machine (rootfs, host): a learned profile, a benchmark profile, a patch plan. */
abstract class MachineScanCommand extends ScanCommand {
    @Mixin
    LearnedOption learnedOption = new LearnedOption();

    @Option(
            names = "--benchmark",
            paramLabel = "PROFILE",
            description = "Run exactly the host checks of one benchmark profile (cis-level1, cis-level2; see "
                    + "palisade checks list --benchmark) and report each as pass, fail or not-applicable, in the "
                    + "table or json format. --exit-code N applies when a check fails.")
    @Nullable
    String benchmark;

    @Mixin
    PatchPlanOption patchPlan = new PatchPlanOption();

    MachineScanCommand(Environment environment) {
        super(environment);
    }

    @Override
    @Nullable
    LearnedProfile learned() throws IOException {
        return learnedOption.read();
    }

    @Override
    @Nullable
    String benchmark() {
        return benchmark;
    }

    @Override
    boolean patchPlan() {
        return patchPlan.enabled;
    }
}
