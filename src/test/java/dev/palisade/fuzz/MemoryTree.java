package dev.palisade.fuzz;

import dev.palisade.source.FileEntry;
import dev.palisade.source.FileKind;
import dev.palisade.source.FileTree;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.TreeMap;

/** A root file system generated in memory: regular files and the directories above them, no links. */
final class MemoryTree implements FileTree {
    private final NavigableMap<String, FileEntry> entries = new TreeMap<>();
    private final Map<String, byte[]> contents = new TreeMap<>();

    MemoryTree file(String path, byte[] content, int mode) {
        for (int slash = path.indexOf('/'); slash > 0; slash = path.indexOf('/', slash + 1)) {
            String directory = path.substring(0, slash);
            entries.putIfAbsent(directory, new FileEntry(directory, FileKind.DIRECTORY, 0, 0755, 0, 0, null, 0));
        }
        entries.put(path, new FileEntry(path, FileKind.FILE, content.length, mode, 0, 0, null, 0));
        contents.put(path, content);
        return this;
    }

    @Override
    public Optional<FileEntry> entry(String path) {
        return Optional.ofNullable(entries.get(path));
    }

    @Override
    public List<FileEntry> children(String directory) {
        return FileTree.childrenOf(entries, directory);
    }

    @Override
    public InputStream open(FileEntry entry) throws IOException {
        byte[] content = contents.get(entry.path());
        if (content == null) {
            throw new IOException(entry.path() + ": not a regular file");
        }
        return new ByteArrayInputStream(content);
    }

    @Override
    public Optional<String> resolve(String path) {
        return Optional.of(path);
    }

    @Override
    public Collection<FileEntry> entries() {
        return entries.values();
    }

    @Override
    public int size() {
        return entries.size();
    }
}
