package dev.palisade.cli;

import dev.palisade.scan.ScanTarget;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
        name = "host",
        mixinStandardHelpOptions = true,
        description = "The machine Palisade runs on: its root file system (as rootfs /), and the sockets it listens on "
                + "with the processes that hold them.")
final class HostCommand extends ScanCommand {
    @Option(
            names = "--skip-dirs",
            split = ",",
            paramLabel = "DIR",
            description = "Directories not to read, besides proc, sys, dev and run.")
    List<String> skipDirs = List.of();

    @Option(names = "--root", hidden = true, defaultValue = "/", description = "The root file system (for tests).")
    Path root;

    @Option(names = "--proc", hidden = true, defaultValue = "/proc", description = "The proc file system (for tests).")
    Path proc;

    HostCommand(Environment environment) {
        super(environment);
    }

    @Override
    ScanTarget target() {
        return new ScanTarget.LiveHost(root, proc, skipDirs);
    }
}
