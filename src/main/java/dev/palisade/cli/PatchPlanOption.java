package dev.palisade.cli;

import picocli.CommandLine.Option;

/** {@code --patch-plan}, for the commands that scan a machine (rootfs, host, hosts). */
final class PatchPlanOption {
    @Option(
            names = "--patch-plan",
            description =
                    "Add a patch plan to the table and JSON reports: the OS packages with a fix not installed yet, "
                            + "known exploited and most severe first, and the apt-get, dnf, zypper or apk command that installs "
                            + "exactly those fixes.")
    boolean enabled;
}
