package dev.palisade.source.image;

import dev.palisade.source.EntryPaths;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarFile;

/**
 * Reads members of an image tar (docker-archive or OCI archive) by name, with random access, so
 * layers are streamed straight out of the archive without extracting it.
 */
final class TarBlobReader implements BlobReader {
    private final Path archive;
    private final TarFile tar;
    private final Map<String, TarArchiveEntry> members = new HashMap<>();

    TarBlobReader(Path archive, long maxEntries) throws IOException {
        this.archive = archive;
        this.tar = new TarFile(FileChannel.open(archive, StandardOpenOption.READ));
        if (tar.getEntries().size() > maxEntries) {
            tar.close();
            throw new IOException("the archive has more than " + maxEntries + " members (limit maxEntries)");
        }
        for (TarArchiveEntry entry : tar.getEntries()) {
            if (entry.isFile()) {
                EntryPaths.normalize(entry.getName()).ifPresent(name -> members.put(name, entry));
            }
        }
    }

    @Override
    public boolean exists(String name) {
        return members.containsKey(name);
    }

    @Override
    public InputStream open(String name) throws IOException {
        TarArchiveEntry entry = members.get(EntryPaths.normalize(name).orElse("\0"));
        if (entry == null) {
            throw new IOException("no member " + name + " in " + archive);
        }
        return tar.getInputStream(entry);
    }

    @Override
    public boolean readsAheadSafely() {
        return true;
    }

    @Override
    public String origin() {
        return archive.toString();
    }

    @Override
    public void close() throws IOException {
        tar.close();
    }
}
