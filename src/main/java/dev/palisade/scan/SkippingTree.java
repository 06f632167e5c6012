package dev.palisade.scan;

import dev.palisade.source.FileEntry;
import dev.palisade.source.FileTree;
import dev.palisade.source.Layer;
import dev.palisade.source.PathSkips;
import dev.palisade.source.Problem;
import dev.palisade.source.TreeVisitor;
import java.io.IOException;
import java.io.InputStream;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * What {@code --skip-files} and {@code --skip-dirs} leave out: the files are neither catalogued nor
 * searched for secrets as they stream past, and the configuration checks do not see them in the tree.
 */
final class SkippingTree {
    private SkippingTree() {}

    static TreeVisitor visitor(TreeVisitor downstream, PathSkips skips) {
        if (skips.isEmpty()) {
            return downstream;
        }
        return new TreeVisitor() {
            @Override
            public void startLayer(Layer layer) {
                downstream.startLayer(layer);
            }

            @Override
            public void file(FileEntry entry, InputStream content) throws IOException {
                if (!skips.skips(entry.path())) {
                    downstream.file(entry, content);
                }
            }

            @Override
            public void hardLink(FileEntry link, String targetPath) {
                if (!skips.skips(link.path())) {
                    downstream.hardLink(link, targetPath);
                }
            }

            @Override
            public void endLayer(Layer layer) {
                downstream.endLayer(layer);
            }

            @Override
            public void problem(Problem problem) {
                downstream.problem(problem);
            }
        };
    }

    static FileTree tree(FileTree tree, PathSkips skips) {
        if (skips.isEmpty()) {
            return tree;
        }
        return new FileTree() {
            @Override
            public Optional<String> resolve(String path) {
                return tree.resolve(path);
            }

            @Override
            public List<FileEntry> children(String directory) {
                return tree.children(directory).stream()
                        .filter(e -> !skips.skips(e.path()))
                        .toList();
            }

            @Override
            public Collection<FileEntry> entries() {
                return tree.entries().stream()
                        .filter(e -> !skips.skips(e.path()))
                        .toList();
            }

            @Override
            public int size() {
                return entries().size();
            }

            @Override
            public Optional<FileEntry> entry(String path) {
                return skips.skips(path) ? Optional.empty() : tree.entry(path);
            }

            @Override
            public InputStream open(FileEntry entry) throws IOException {
                return tree.open(entry);
            }
        };
    }
}
