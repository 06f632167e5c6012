package dev.palisade.cli;

import dev.palisade.catalog.maven.MavenSettings;
import dev.palisade.checks.LearnedProfile;
import dev.palisade.scan.ScanTarget;
import dev.palisade.source.ScanLimits;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
        name = "fs",
        footerHeading = "%nExamples:%n",
        footer = {
            "  palisade fs .",
            "  palisade fs . --skip-dirs '**/node_modules' --exit-code 1 --exit-on vuln",
            "  palisade fs . --format cyclonedx -o bom.json"
        },
        mixinStandardHelpOptions = true,
        description =
                "Inventory of a project directory: lock files, manifests and built artifacts. A pom.xml at the top "
                        + "is resolved to its full dependency tree from the local Maven repository and the project's "
                        + "repositories (Maven Central by default); with --offline, from the local repository only.")
final class FsCommand extends ScanCommand {
    @Parameters(index = "0", paramLabel = "DIR", description = "The project directory.")
    Path directory;

    @Mixin
    LearnedOption learnedOption = new LearnedOption();

    @Override
    @Nullable
    LearnedProfile learned() throws IOException {
        return learnedOption.read();
    }

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

    @Option(
            names = "--maven-settings",
            paramLabel = "FILE",
            description = "Maven's settings.xml, for its localRepository and mirrors (default: ~/.m2/settings.xml "
                    + "when present; its servers and credentials are not read).")
    Path mavenSettingsFile;

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

    /**
     * The local repository as mvn finds it (the option, -Dmaven.repo.local, settings.xml, then
     * ~/.m2/repository), and the mirrors of settings.xml.
     */
    MavenSettings mavenSettings() {
        String home = environment.variables().get("HOME");
        Path m2 = (home == null ? environment.workingDirectory() : Path.of(home)).resolve(".m2");
        Path settingsFile = mavenSettingsFile != null ? mavenSettingsFile : m2.resolve("settings.xml");
        MavenSettings.SettingsXml settings = new MavenSettings.SettingsXml(null, List.of());
        if (mavenSettingsFile != null || Files.isRegularFile(settingsFile)) {
            debug("Maven settings: " + settingsFile);
            try {
                settings = MavenSettings.SettingsXml.parse(
                        readPolicyFile(settingsFile, ScanLimits.defaults().maxMetadataBytes()));
            } catch (java.io.IOException e) {
                throw new IllegalArgumentException(settingsFile + ": " + e.getMessage(), e);
            }
        }
        Path local = mavenRepository;
        if (local == null && properties.get("maven.repo.local") != null) {
            local = Path.of(properties.get("maven.repo.local"));
        }
        if (local == null
                && settings.localRepository() != null
                && !settings.localRepository().isEmpty()) {
            local = Path.of(settings.localRepository());
        }
        if (local == null) {
            local = m2.resolve("repository");
        }
        return MavenSettings.of(environment.workingDirectory().resolve(local), database.offline)
                .withMirrors(settings.mirrors());
    }
}
