package dev.palisade.cli;

import dev.palisade.checks.CheckCatalog;
import dev.palisade.checks.Misconfiguration;
import dev.palisade.checks.TrustedSources;
import dev.palisade.registry.RegistryBlobReader;
import dev.palisade.registry.RegistryClient;
import dev.palisade.scan.InventoryScanner;
import dev.palisade.source.Artifact;
import dev.palisade.source.ScanLimits;
import dev.palisade.source.SourceException;
import dev.palisade.source.image.ImageReference;
import dev.palisade.source.image.ImageSources;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "image", mixinStandardHelpOptions = true,
        description = "Inventory and vulnerabilities of a container image: a docker-archive tar (docker save), an OCI layout directory or an OCI archive.")
final class ImageCommand extends ScanCommand {
    @Parameters(index = "0", paramLabel = "IMAGE",
            description = "Path to an image tar or OCI layout directory, or a registry reference (HOST[:PORT]/NAME[:TAG|@DIGEST], debian:12).")
    String image;

    @Mixin
    RegistryOptions registry;

    private boolean pulledFromRegistry;

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
        ImageSources sources = new ImageSources(limits, wanted);
        Path local = Paths.get(image);
        if (Files.exists(local)) {
            return sources.open(local);
        }
        ImageReference reference = ImageReference.parse(image).orElseThrow(() -> new SourceException(
                image + ": no such file, and not an image reference (HOST[:PORT]/NAME[:TAG|@DIGEST])"));
        RegistryClient client;
        try {
            client = registry.client(reference, environment);
        } catch (IOException e) {
            throw new SourceException("cannot read registry credentials: " + e.getMessage(), e);
        }
        pulledFromRegistry = true;
        return sources.openLayout(reference.toString(), new RegistryBlobReader(client, limits.maxMetadataBytes()));
    }

    /** The image's own checks, and for an image pulled from a registry, the trusted sources policy on its reference. */
    @Override
    Checked checks(InventoryScanner.Scanned scanned, CheckCatalog catalog, ScanLimits limits) throws IOException {
        Checked own = super.checks(scanned, catalog, limits);
        if (!pulledFromRegistry) {
            return own;
        }
        List<Misconfiguration> found = new ArrayList<>(own.found());
        for (TrustedSources.Violation v : trustedSources.violations(image)) {
            found.add(new Misconfiguration(catalog.get(v.checkId()), image, 0, "reference", null, v.message()));
        }
        return new Checked(found, own.problems());
    }

}
