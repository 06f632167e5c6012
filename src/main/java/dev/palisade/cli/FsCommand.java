package dev.palisade.cli;

import dev.palisade.catalog.maven.MavenSettings;
import dev.palisade.scan.ScanTarget;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
        name = "fs",
        mixinStandardHelpOptions = true,
        description =
                "Inventory of a project directory: lock files, manifests and built artifacts. A pom.xml at the top "
                        + "is resolved to its full dependency tree from the local Maven repository and the project's "
                        + "repositories (Maven Central by default); with --offline, from the local repository only.")
final class FsCommand extends ScanCommand {
    @Parameters(index = "0", paramLabel = "DIR", description = "The project directory.")
    Path directory;

    @Option(
            names = "--maven-repo",
            paramLabel = "DIR",
            description = "The local Maven repository (default: -Dmaven.repo.local, else ~/.m2/repository). "
                    + "POMs downloaded while resolving are kept there, as Maven does.")
    Path mavenRepository;

    @Option(
            names = "-D",
            paramLabel = "maven.repo.local=DIR",
            description = "As for mvn: -Dmaven.repo.local=DIR names the local Maven repository.")
    Map<String, String> properties = new LinkedHashMap<>();

    @Option(names = "--skip-maven", description = "Do not resolve a pom.xml's dependency tree.")
    boolean skipMaven;

    FsCommand(Environment environment) {
        super(environment);
    }

    @Override
    ScanTarget target() {
        for (String name : properties.keySet()) {
            if (!name.equals("maven.repo.local")) {
                throw new IllegalArgumentException("-D" + name + ": only -Dmaven.repo.local=DIR is understood");
            }
        }
        return new ScanTarget.Directory(directory, skipMaven ? null : mavenSettings());
    }

    /** The local repository as mvn finds it: the option, -Dmaven.repo.local, then ~/.m2/repository. */
    MavenSettings mavenSettings() {
        Path local = mavenRepository;
        if (local == null && properties.get("maven.repo.local") != null) {
            local = Path.of(properties.get("maven.repo.local"));
        }
        if (local == null) {
            String home = environment.variables().get("HOME");
            local = (home == null ? environment.workingDirectory() : Path.of(home)).resolve(".m2/repository");
        }
        return MavenSettings.of(environment.workingDirectory().resolve(local), database.offline);
    }
}
