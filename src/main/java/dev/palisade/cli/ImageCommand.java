package dev.palisade.cli;

import dev.palisade.source.Artifact;
import dev.palisade.source.ScanLimits;
import dev.palisade.source.SourceException;
import dev.palisade.source.image.ImageSources;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "image", mixinStandardHelpOptions = true,
        description = "Inventory and vulnerabilities of a container image: a docker-archive tar (docker save), an OCI layout directory or an OCI archive.")
final class ImageCommand extends ScanCommand {
    @Parameters(index = "0", paramLabel = "IMAGE", description = "Path to the image tar or OCI layout directory.")
    Path image;

    @Option(names = "--platform", paramLabel = "OS/ARCH[/VARIANT]",
            description = "Which image of a multi-platform index to scan (default: the host's, linux/amd64 here).")
    String platform;

    ImageCommand(Environment environment) {
        super(environment);
    }

    @Override
    Artifact open(ScanLimits limits) throws SourceException {
        ImageSources.Platform wanted;
        try {
            wanted = platform == null ? ImageSources.Platform.host() : ImageSources.Platform.parse(platform);
        } catch (IllegalArgumentException e) {
            throw new SourceException(e.getMessage());
        }
        return new ImageSources(limits, wanted).open(image);
    }
}
