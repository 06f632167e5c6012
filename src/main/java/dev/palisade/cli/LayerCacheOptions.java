package dev.palisade.cli;

import dev.palisade.scan.LayerCache;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Option;

/** The on-disk cache of analysed image layers, kept beside the vulnerability database. */
final class LayerCacheOptions {
    @Option(names = "--no-layer-cache", description = "Read every image layer, even those analysed before.")
    boolean disabled;

    @Option(
            names = "--layer-cache-max-size",
            paramLabel = "BYTES",
            defaultValue = "2G",
            description = "Size of the image layer cache in the cache directory (default: ${DEFAULT-VALUE}).")
    String maxSize = "2G";

    /** The cache, or null when it is turned off. */
    @Nullable
    LayerCache open(DatabaseOptions database, Map<String, String> environment) {
        if (disabled) {
            return null;
        }
        return new LayerCache(
                database.cacheDirectory(environment).resolve("layers"),
                ScanCommand.parseBytes(maxSize, "--layer-cache-max-size"));
    }
}
