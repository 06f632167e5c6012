package dev.palisade.fuzz;

import dev.palisade.catalog.CatalogContext;
import dev.palisade.catalog.Cataloger;
import dev.palisade.inventory.Package;
import dev.palisade.source.FileEntry;
import dev.palisade.source.FileKind;
import dev.palisade.source.Problem;
import dev.palisade.source.ScanLimits;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * What the fuzz tests share: small limits (so that a hostile input hits a bound in milliseconds
 * instead of reading gigabytes), and the way a cataloger is handed one file.
 */
final class Fuzzing {
    /** Tight enough that every target stays fast per input, loose enough for the seed files. */
    static final ScanLimits LIMITS = new ScanLimits(
            1024 * 1024,
            256 * 1024,
            10_000,
            16L * 1024 * 1024,
            3,
            40,
            Duration.ofSeconds(30),
            dev.palisade.source.Deadline.none());

    private Fuzzing() {}

    /**
     * Runs {@code cataloger} on {@code bytes} as the file at {@code path}. The cataloger's contract: it
     * returns packages, reports partial problems to the context, or throws {@link IOException} when the
     * file as a whole cannot be read. Anything else escapes to the fuzzer as a finding.
     */
    static List<Package> catalog(Cataloger cataloger, String path, byte[] bytes) {
        FileEntry file = new FileEntry(path, FileKind.FILE, bytes.length, 0755, 0, 0, null, 0);
        List<Problem> problems = new ArrayList<>();
        try {
            List<Package> found = cataloger.catalog(
                    file, new ByteArrayInputStream(bytes), new CatalogContext(LIMITS, problems::add, null));
            return assertNamed(found);
        } catch (IOException expected) {
            return List.of();
        }
    }

    /**
     * A context for a cataloger called directly. Made here, not in a fuzz test class: a lambda taking a
     * {@link Problem} there makes JUnit load {@code Problem} while it lists the class's methods, before Jazzer
     * instruments classes, and Jazzer's later rewrite of that record then fails with {@code NoSuchFieldError}.
     */
    static CatalogContext context() {
        List<Problem> problems = new ArrayList<>();
        return new CatalogContext(LIMITS, problems::add, null);
    }

    /** {@code found}, once each package has a name and a version. */
    static List<Package> assertNamed(List<Package> found) {
        for (Package p : found) {
            if (p.name() == null || p.version() == null) {
                throw new AssertionError("a package without name or version: " + p);
            }
        }
        return found;
    }

    /** The input split at each NUL byte into at most {@code parts} pieces (the last keeps the rest). */
    static List<byte[]> split(byte[] input, int parts) {
        List<byte[]> pieces = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < input.length && pieces.size() < parts - 1; i++) {
            if (input[i] == 0) {
                pieces.add(Arrays.copyOfRange(input, start, i));
                start = i + 1;
            }
        }
        pieces.add(Arrays.copyOfRange(input, start, input.length));
        return pieces;
    }

    /**
     * An empty temporary file a target rewrites for each input, for parsers that read only from a file. In
     * memory ({@code /dev/shm}) where there is one: rewriting a file on disk took a quarter of imageArchive's time.
     */
    static Path scratchFile(String suffix) {
        Path memory = Path.of("/dev/shm");
        try {
            return Files.isDirectory(memory) && Files.isWritable(memory)
                    ? Files.createTempFile(memory, "palisade-fuzz-", suffix)
                    : Files.createTempFile("palisade-fuzz-", suffix);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String utf8(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
