package dev.palisade.scan;

import dev.palisade.catalog.CatalogRunner;
import dev.palisade.catalog.ContentBytes;
import dev.palisade.checks.SecretCollector;
import dev.palisade.source.ArtifactLimitException;
import dev.palisade.source.Deadline;
import dev.palisade.source.FileEntry;
import dev.palisade.source.Layer;
import dev.palisade.source.LimitExceededException;
import dev.palisade.source.Problem;
import dev.palisade.source.TreeVisitor;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import org.jspecify.annotations.Nullable;

/**
 * Gives each file to the catalogers and to the secret scanner; a file both want is read once into
 * memory (within the secret scanner's size limit) and handed to each.
 */
final class SecretTreeVisitor implements TreeVisitor {
    private final CatalogRunner runner;
    private final SecretCollector secrets;
    private final Deadline deadline;
    private @Nullable Layer current;

    SecretTreeVisitor(CatalogRunner runner, SecretCollector secrets, Deadline deadline) {
        this.runner = runner;
        this.secrets = secrets;
        this.deadline = deadline;
    }

    @Override
    public void startLayer(Layer layer) {
        current = layer;
        runner.startLayer(layer);
    }

    @Override
    public void file(FileEntry entry, InputStream content) throws IOException {
        deadline.check(entry.path());
        if (!secrets.wants(entry)) {
            runner.file(entry, content);
            return;
        }
        byte[] bytes;
        try {
            bytes = ContentBytes.read(content, entry.size(), secrets.maxBytes(), entry.path());
        } catch (ArtifactLimitException e) {
            throw e;
        } catch (LimitExceededException e) {
            runner.problem(new Problem(
                    entry.path(), current == null ? null : current.diffId(), "secret scan: " + e.getMessage()));
            return;
        }
        String layer = current == null ? null : current.diffId();
        for (String unfinished : secrets.scan(entry, bytes, layer)) {
            runner.problem(new Problem(entry.path(), layer, "secret scan: " + unfinished));
        }
        if (runner.wants(entry)) {
            runner.file(entry, new ByteArrayInputStream(bytes));
        }
    }

    @Override
    public void hardLink(FileEntry link, String targetPath) {
        runner.hardLink(link, targetPath);
    }

    @Override
    public void endLayer(Layer layer) {
        runner.endLayer(layer);
        current = null;
    }

    @Override
    public void problem(Problem problem) {
        runner.problem(problem);
    }
}
