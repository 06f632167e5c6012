package dev.palisade.source;

import java.io.IOException;
import java.io.InputStream;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/** A merged tree whose file content is read from the artifact it came from. */
public final class ContentTree implements FileTree {
    private final FileTree metadata;
    private final Artifact artifact;

    public ContentTree(FileTree metadata, Artifact artifact) {
        this.metadata = metadata;
        this.artifact = artifact;
    }

    @Override
    public Optional<FileEntry> entry(String path) {
        return metadata.entry(path);
    }

    @Override
    public List<FileEntry> children(String directory) {
        return metadata.children(directory);
    }

    @Override
    public InputStream open(FileEntry entry) throws IOException {
        if (!entry.isRegularFile() || metadata.entry(entry.path()).isEmpty()) {
            throw new IOException(entry.path() + ": not a regular file of the artifact");
        }
        return artifact.open(entry);
    }

    @Override
    public Optional<String> resolve(String path) {
        return metadata.resolve(path);
    }

    @Override
    public Collection<FileEntry> entries() {
        return metadata.entries();
    }

    @Override
    public int size() {
        return metadata.size();
    }
}
