package dev.palisade.catalog;

import dev.palisade.inventory.Ecosystem;
import dev.palisade.inventory.Location;
import dev.palisade.inventory.Package;
import dev.palisade.source.FileEntry;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;

/**
 * The common shape of catalogers that read one whole, small file: a name, a test on the file name,
 * and a parser from bytes to packages. An empty file is reported rather than parsed: a parser could
 * take it for a document that lists nothing, and an empty lock file or database is worth a look.
 */
public abstract class FileCataloger implements Cataloger {
    @Override
    public final List<Package> catalog(FileEntry file, InputStream content, CatalogContext context) throws IOException {
        byte[] bytes = ContentBytes.read(content, file.size(), context.limits().maxFileBytes(), file.path());
        if (isBlank(bytes)) {
            context.problem(
                    file.path(),
                    "is empty" + (bytes.length == 0 ? "" : " (" + bytes.length + " bytes of blank space)")
                            + "; no packages read from it");
            return List.of();
        }
        return parse(file.path(), bytes, context);
    }

    protected abstract List<Package> parse(String path, byte[] bytes, CatalogContext context) throws IOException;

    /** A package of a language ecosystem found at {@code path}. */
    protected Package pkg(
            Ecosystem ecosystem, String name, String version, String purl, String path, Map<String, String> metadata) {
        return new Package(ecosystem, name, version, purl, List.of(Location.of(path)), null, null, name(), metadata);
    }

    /** True for no bytes or only ASCII blank space. */
    public static boolean isBlank(byte[] bytes) {
        for (byte b : bytes) {
            if (b != ' ' && b != '\t' && b != '\n' && b != '\r') {
                return false;
            }
        }
        return true;
    }

    protected static boolean isNamed(FileEntry file, String name) {
        return file.name().equals(name);
    }
}
