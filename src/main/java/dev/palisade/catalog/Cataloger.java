package dev.palisade.catalog;

import dev.palisade.inventory.Package;
import dev.palisade.source.FileEntry;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;

/**
 * Finds the packages of one ecosystem in single files of an artifact's tree. A cataloger never opens
 * image layers; it sees only the files it asked for, as they stream past, and parses them within the
 * context's limits.
 */
public interface Cataloger {
    /** A short stable name, reported as the package's {@code foundBy}: {@code dpkg-status}, {@code java-archive}. */
    String name();

    /** A cheap test on the path (and size, mode) made before any byte is read. */
    boolean wants(FileEntry file);

    /**
     * True for a cataloger that reads its file as a stream in bounded memory, whatever its size (Go
     * build information in an executable); false for one that needs the file whole, which then may not
     * exceed {@code maxFileBytes}.
     */
    default boolean streams() {
        return false;
    }

    /**
     * The packages {@code content} describes. Problems with a part of the file go to the context; an
     * exception means the whole file could not be read and becomes a reported problem.
     */
    List<Package> catalog(FileEntry file, InputStream content, CatalogContext context) throws IOException;
}
