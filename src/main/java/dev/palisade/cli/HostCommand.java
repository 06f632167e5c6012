package dev.palisade.cli;

import dev.palisade.checks.CheckCatalog;
import dev.palisade.report.ScanReport;
import dev.palisade.scan.InventoryScanner;
import dev.palisade.source.Artifact;
import dev.palisade.source.ScanLimits;
import dev.palisade.source.SourceException;
import dev.palisade.source.host.ListeningSockets;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "host", mixinStandardHelpOptions = true,
        description = "The machine Palisade runs on: its root file system (as rootfs /), and the sockets it listens on "
                + "with the processes that hold them.")
final class HostCommand extends ScanCommand {
    @Option(names = "--skip-dirs", split = ",", paramLabel = "DIR",
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
    Artifact open(ScanLimits limits) throws SourceException {
        return RootfsCommand.openRoot(root, skipDirs, limits);
    }

    @Override
    Checked checks(InventoryScanner.Scanned scanned, CheckCatalog catalog, ScanLimits limits) {
        return RootfsCommand.hostChecks(root, scanned, catalog);
    }

    @Override
    ScanReport complete(ScanReport report) {
        ListeningSockets.Result sockets = ListeningSockets.read(proc);
        warn(sockets.problems());
        return report.withListeningSockets(sockets.sockets()).withProblems(sockets.problems());
    }
}
