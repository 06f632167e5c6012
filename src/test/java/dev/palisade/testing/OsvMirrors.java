package dev.palisade.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Comparator;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/** A test's own copy of an advisory mirror (OSV export layout), and advisories added to it after the fact. */
public final class OsvMirrors {
    private OsvMirrors() {}

    /** Copies a mirror (or any folder) so that a test can change it. */
    public static void copy(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path source : (Iterable<Path>) files.sorted(Comparator.naturalOrder())::iterator) {
                Path target = to.resolve(from.relativize(source).toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(source, target);
                }
            }
        }
    }

    /**
     * Rewrites an OSV export zip with one more record: the same entries, plus a Maven advisory on {@code name}
     * of {@code severity}, fixed in {@code fixed}.
     */
    public static void addAdvisory(Path zip, String id, String name, String severity, String fixed) throws IOException {
        Path rewritten = zip.resolveSibling("all.zip.new");
        try (ZipInputStream in = new ZipInputStream(Files.newInputStream(zip));
                ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(rewritten))) {
            for (ZipEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
                out.putNextEntry(new ZipEntry(e.getName()));
                in.transferTo(out);
                out.closeEntry();
            }
            out.putNextEntry(new ZipEntry(id + ".json"));
            out.write(("{\"schema_version\": \"1.6.0\", \"id\": \"" + id + "\", \"modified\": \"2026-03-02T00:00:00Z\","
                            + " \"published\": \"2026-03-02T00:00:00Z\", \"summary\": \"Test advisory added after the upload\","
                            + " \"database_specific\": {\"severity\": \"" + severity + "\"},"
                            + " \"affected\": [{\"package\": {\"ecosystem\": \"Maven\", \"name\": \"" + name + "\"},"
                            + " \"ranges\": [{\"type\": \"ECOSYSTEM\", \"events\": [{\"introduced\": \"0\"}, {\"fixed\": \""
                            + fixed + "\"}]}]}]}")
                    .getBytes(StandardCharsets.UTF_8));
            out.closeEntry();
        }
        Files.move(rewritten, zip, StandardCopyOption.REPLACE_EXISTING);
        // the directory mirror tells changes by size and modification time
        Files.setLastModifiedTime(zip, FileTime.from(Instant.now().plusSeconds(60)));
    }
}
