package dev.palisade.source.directory;

import dev.palisade.source.Artifact;
import dev.palisade.source.ArtifactDescription;
import dev.palisade.source.ArtifactKind;
import dev.palisade.source.DeploymentModel;
import dev.palisade.source.FileEntry;
import dev.palisade.source.FileKind;
import dev.palisade.source.Layer;
import dev.palisade.source.LayerVisitor;
import dev.palisade.source.RawEntry;
import dev.palisade.source.ReadFailures;
import dev.palisade.source.SourceException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;

/**
 * One file the user named (a configuration file, a function's template): a tree holding that file
 * alone, under its own name. Its directory is not read.
 */
public final class SingleFileArtifact implements Artifact {
    private final DiskFiles directory;
    private final String name;
    private final ArtifactDescription description;

    private SingleFileArtifact(DiskFiles directory, String name, ArtifactDescription description) {
        this.directory = directory;
        this.name = name;
        this.description = description;
    }

    public static SingleFileArtifact open(Path file, ArtifactKind kind, DeploymentModel model) throws SourceException {
        if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
            throw new SourceException(file + (Files.exists(file) ? ": not a regular file" : ": no such file"));
        }
        Path absolute = file.toAbsolutePath().normalize();
        Path parent = absolute.getParent();
        try {
            return new SingleFileArtifact(
                    DiskFiles.of(parent == null ? absolute.getRoot() : parent),
                    absolute.getFileName().toString(),
                    new ArtifactDescription(file.toString(), kind, model, List.of(Layer.single()), null));
        } catch (IOException e) {
            throw new SourceException(file + ": cannot be read: " + ReadFailures.why(e), e);
        }
    }

    /** The file's entry in the tree. */
    public String fileName() {
        return name;
    }

    /** The file, as an entry of its one-file tree. */
    public FileEntry entry() throws IOException {
        return directory
                .entry(name)
                .filter(e -> e.kind() == FileKind.FILE)
                .orElseThrow(() -> new IOException(description.name() + ": not a regular file"));
    }

    @Override
    public ArtifactDescription description() {
        return description;
    }

    @Override
    public void walk(LayerVisitor visitor) throws SourceException {
        Layer layer = Layer.single();
        FileEntry entry = directory
                .entry(name)
                .filter(e -> e.kind() == FileKind.FILE)
                .orElseThrow(() -> new SourceException(description.name() + ": not a regular file"));
        visitor.startLayer(layer);
        try (InputStream in = directory.open(entry)) {
            visitor.entry(
                    new RawEntry(name, FileKind.FILE, entry.size(), entry.mode(), entry.uid(), entry.gid(), null), in);
        } catch (IOException e) {
            throw new SourceException(description.name() + ": cannot be read: " + ReadFailures.why(e), e);
        }
        visitor.endLayer(layer);
    }

    @Override
    public InputStream open(FileEntry entry) throws IOException {
        if (!entry.path().equals(name)) {
            throw new IOException(entry.path() + ": not the named file");
        }
        return directory.open(entry);
    }

    @Override
    public void close() {}
}
