package dev.palisade.scan;

import dev.palisade.catalog.maven.MavenSettings;
import dev.palisade.source.image.ImageReference;
import dev.palisade.source.image.ImageSources;
import dev.palisade.source.remote.SshDestination;
import dev.palisade.source.remote.SshSettings;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/** What a scan reads: every kind of artifact an entry point can name. */
public sealed interface ScanTarget {
    /** How the target is named in reports and messages. */
    String name();

    /** A container image on disk: a docker-archive or OCI archive tar, or an OCI layout directory. */
    record ImageArchive(Path path, ImageSources.Platform platform) implements ScanTarget {
        public ImageArchive {
            Objects.requireNonNull(path, "path");
            Objects.requireNonNull(platform, "platform");
        }

        @Override
        public String name() {
            return path.toString();
        }
    }

    /** A container image in an OCI registry. */
    record RegistryImage(ImageReference reference, ImageSources.Platform platform) implements ScanTarget {
        public RegistryImage {
            Objects.requireNonNull(reference, "reference");
            Objects.requireNonNull(platform, "platform");
        }

        @Override
        public String name() {
            return reference.toString();
        }
    }

    /**
     * A container image named by reference or ID, looked for in local engines and registries in the order
     * of {@code sources} (as Trivy's {@code --image-src}); the first that has it is scanned.
     */
    record NamedImage(String image, ImageSources.Platform platform, List<ImageSource> sources) implements ScanTarget {
        public NamedImage {
            Objects.requireNonNull(image, "image");
            Objects.requireNonNull(platform, "platform");
            sources = List.copyOf(sources);
        }

        @Override
        public String name() {
            return image;
        }
    }

    /** A virtual machine's root file system (a mounted disk, a chroot). */
    record RootFilesystem(Path root, List<String> skipDirectories) implements ScanTarget {
        public RootFilesystem {
            Objects.requireNonNull(root, "root");
            skipDirectories = List.copyOf(skipDirectories);
        }

        @Override
        public String name() {
            return root.toString();
        }
    }

    /** The machine Palisade runs on: its root file system, and its listening sockets from {@code proc}. */
    record LiveHost(Path root, Path proc, List<String> skipDirectories) implements ScanTarget {
        public LiveHost {
            Objects.requireNonNull(root, "root");
            Objects.requireNonNull(proc, "proc");
            skipDirectories = List.copyOf(skipDirectories);
        }

        @Override
        public String name() {
            return root.toString();
        }
    }

    /**
     * A machine reached over SSH and read through SFTP: its root file system (as {@code rootfs /} reads
     * a local one) and its listening sockets from its {@code /proc}.
     */
    record RemoteHost(SshDestination destination, SshSettings settings, List<String> skipDirectories)
            implements ScanTarget {
        public RemoteHost {
            Objects.requireNonNull(destination, "destination");
            Objects.requireNonNull(settings, "settings");
            skipDirectories = List.copyOf(skipDirectories);
        }

        @Override
        public String name() {
            return destination.toString();
        }
    }

    /**
     * A project directory: lock files, manifests, build output and configuration files; with {@code maven}, a
     * {@code pom.xml} at its top is resolved to its dependency tree from those repositories.
     */
    record Directory(Path path, @Nullable MavenSettings maven) implements ScanTarget {
        public Directory {
            Objects.requireNonNull(path, "path");
        }

        /** A directory whose Maven project, if any, is not resolved. */
        public Directory(Path path) {
            this(path, null);
        }

        @Override
        public String name() {
            return path.toString();
        }
    }

    /** A serverless deployment package (a zip or its directory), with its definition when given. */
    record FunctionPackage(Path path, @Nullable Path template) implements ScanTarget {
        public FunctionPackage {
            Objects.requireNonNull(path, "path");
        }

        @Override
        public String name() {
            return path.toString();
        }
    }

    /** An SBOM another tool wrote (CycloneDX or SPDX JSON). */
    record Sbom(Path path) implements ScanTarget {
        public Sbom {
            Objects.requireNonNull(path, "path");
        }

        @Override
        public String name() {
            return path.toString();
        }
    }

    /**
     * An SBOM received rather than read from disk (an upload to the server, a stored inventory matched
     * again): {@code name} stands where a path would in the report. The bytes are not copied.
     */
    record SbomDocument(String name, byte[] json) implements ScanTarget {
        public SbomDocument {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(json, "json");
        }
    }

    /** Configuration files alone: one file (recognised by its content) or a directory to search. */
    record ConfigFiles(Path path) implements ScanTarget {
        public ConfigFiles {
            Objects.requireNonNull(path, "path");
        }

        @Override
        public String name() {
            return path.toString();
        }
    }
}
