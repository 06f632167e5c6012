package dev.palisade.cli;

import dev.palisade.engine.EngineClient;
import dev.palisade.engine.EngineException;
import dev.palisade.engine.EngineHost;
import dev.palisade.report.DockerfileLines;
import dev.palisade.report.ReportFormat;
import dev.palisade.report.ReportWriter;
import dev.palisade.report.SarifWriter;
import dev.palisade.scan.EngineAccess;
import dev.palisade.scan.ImageSource;
import dev.palisade.scan.RegistryAccess;
import dev.palisade.scan.ScanTarget;
import dev.palisade.source.SourceException;
import dev.palisade.source.image.ImageReference;
import dev.palisade.source.image.ImageSources;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
        name = "image",
        footerHeading = "%nExamples:%n",
        footer = {
            "  palisade image debian:12",
            "  palisade image app.tar --format sarif --dockerfile Dockerfile -o palisade.sarif",
            "  palisade image registry.example.com/team/app:1.4 --severity HIGH,CRITICAL --exit-code 1"
        },
        mixinStandardHelpOptions = true,
        description =
                "Inventory and vulnerabilities of a container image: a docker-archive tar (docker save), an OCI layout directory, an OCI archive, "
                        + "or an image in Docker, Podman or a registry.")
final class ImageCommand extends ScanCommand {
    /** How long an engine may stay silent during an export before it is given up. */
    static final Duration ENGINE_IDLE_TIMEOUT = Duration.ofMinutes(5);

    @Parameters(
            index = "0",
            paramLabel = "IMAGE",
            description =
                    "Path to an image tar or OCI layout directory, or an image name (debian:12, HOST[:PORT]/NAME[:TAG|@DIGEST], an image ID).")
    String image;

    @Mixin
    RegistryOptions registry;

    @Option(
            names = "--platform",
            paramLabel = "OS/ARCH[/VARIANT]",
            description = "Which image of a multi-platform index to scan (default: the host's, linux/amd64 here).")
    String platform;

    @Option(
            names = "--image-src",
            split = ",",
            paramLabel = "SOURCE",
            defaultValue = "docker,podman,remote",
            description =
                    "Where an image name is looked for, in this order; the first that has the image is scanned: docker, podman, "
                            + "remote (default: ${DEFAULT-VALUE}).")
    List<String> imageSources;

    @Option(
            names = "--docker-host",
            paramLabel = "unix://PATH|tcp://HOST:PORT",
            description = "The Docker daemon (default: $DOCKER_HOST, else unix:///var/run/docker.sock).")
    @Nullable
    String dockerHost;

    @Option(
            names = "--podman-host",
            paramLabel = "PATH",
            description =
                    "Podman's API socket (default: $XDG_RUNTIME_DIR/podman/podman.sock, else /run/podman/podman.sock).")
    @Nullable
    String podmanHost;

    @Option(
            names = "--dockerfile",
            paramLabel = "FILE",
            description =
                    "The Dockerfile the image was built from: with -f sarif, results point at its lines (packages "
                            + "at the RUN/COPY/ADD that added them or at FROM, image settings at USER, ENV, EXPOSE).")
    @Nullable
    Path dockerfile;

    /** The Dockerfile, read before the scan so that a wrong path fails at once. */
    private @Nullable DockerfileLines dockerfileLines;

    ImageCommand(Environment environment) {
        super(environment);
    }

    @Override
    Set<String> unusedOptions() {
        return Set.of();
    }

    @Override
    ReportWriter writer(ReportFormat reportFormat) {
        if (reportFormat == ReportFormat.SARIF && dockerfileLines != null) {
            return new SarifWriter(dockerfileLines);
        }
        return super.writer(reportFormat);
    }

    private void readDockerfile() throws SourceException {
        if (dockerfile == null) {
            return;
        }
        Path file = environment.workingDirectory().resolve(dockerfile);
        if (!Files.isRegularFile(file)) {
            throw new SourceException("--dockerfile " + dockerfile + ": no such file");
        }
        try {
            byte[] bytes = readPolicyFile(
                    file, dev.palisade.source.ScanLimits.defaults().maxMetadataBytes());
            dockerfileLines =
                    DockerfileLines.parse(sarifPath(file), new String(bytes, java.nio.charset.StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new SourceException("--dockerfile " + dockerfile + ": " + e.getMessage());
        }
    }

    /** Relative to the working directory (a repository's root, in CI) when it is inside it, as code scanning wants. */
    private String sarifPath(Path file) {
        Path absolute = file.toAbsolutePath().normalize();
        Path base = environment.workingDirectory().toAbsolutePath().normalize();
        Path shown = absolute.startsWith(base) ? base.relativize(absolute) : absolute;
        return shown.toString().replace(java.io.File.separatorChar, '/');
    }

    @Override
    ScanTarget target() throws SourceException {
        readDockerfile();
        ImageSources.Platform wanted;
        List<ImageSource> sources;
        try {
            wanted = platform == null
                    ? ImageSources.Platform.linux(System.getProperty("os.arch", "amd64"))
                    : ImageSources.Platform.parse(platform);
            sources = ImageSource.parse(imageSources);
        } catch (IllegalArgumentException e) {
            throw new SourceException(String.valueOf(e.getMessage()));
        }
        Path local = Paths.get(image);
        if (Files.exists(local)) {
            return new ScanTarget.ImageArchive(local, wanted);
        }
        if (sources.equals(List.of(ImageSource.REMOTE))) {
            ImageReference reference = ImageReference.parse(image)
                    .orElseThrow(() -> new SourceException(
                            image + ": no such file, and not an image reference (HOST[:PORT]/NAME[:TAG|@DIGEST])"));
            return new ScanTarget.RegistryImage(reference, wanted);
        }
        debug("image sources, in order: " + sources);
        return new ScanTarget.NamedImage(image, wanted, sources);
    }

    @Override
    RegistryAccess registryAccess() {
        return database.offline ? RegistryAccess.offline() : reference -> registry.client(reference, environment);
    }

    /** Exports go to {@code <cache>/engine-exports}, readable by this user only, and are deleted after the scan. */
    @Override
    EngineAccess engineAccess() {
        return (engine, name, maxBytes, deadline) -> {
            EngineHost host = engine == ImageSource.DOCKER
                    ? EngineHost.docker(environment.variables(), dockerHost)
                    : EngineHost.podman(environment.variables(), podmanHost);
            debug("asking " + engine + " at " + host + " for " + name);
            Path exports = database.cacheDirectory(environment.variables()).resolve("engine-exports");
            Files.createDirectories(exports);
            if (exports.getFileSystem().supportedFileAttributeViews().contains("posix")) {
                Files.setPosixFilePermissions(exports, PosixFilePermissions.fromString("rwx------"));
            }
            Path file = Files.createTempFile(exports, "export-", ".tar");
            try {
                new EngineClient(host, engine == ImageSource.DOCKER ? "Docker" : "Podman", ENGINE_IDLE_TIMEOUT)
                        .exportImage(name, file, maxBytes, deadline);
                return file;
            } catch (EngineException e) {
                debug(engine + ": " + e.getMessage());
                Files.deleteIfExists(file);
                throw e;
            } catch (IOException | RuntimeException e) {
                Files.deleteIfExists(file);
                throw e;
            }
        };
    }
}
