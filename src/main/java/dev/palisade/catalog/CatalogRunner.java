package dev.palisade.catalog;

import dev.palisade.catalog.dpkg.DpkgCopyrightCataloger;
import dev.palisade.catalog.os.OsReleaseParser;
import dev.palisade.inventory.Ecosystem;
import dev.palisade.inventory.Inventory;
import dev.palisade.inventory.Location;
import dev.palisade.inventory.OsRelease;
import dev.palisade.inventory.Package;
import dev.palisade.source.ArtifactDescription;
import dev.palisade.source.ArtifactLimitException;
import dev.palisade.source.FileEntry;
import dev.palisade.source.FileTree;
import dev.palisade.source.Layer;
import dev.palisade.source.LimitExceededException;
import dev.palisade.source.LimitedInputStream;
import dev.palisade.source.Problem;
import dev.palisade.source.ReadFailures;
import dev.palisade.source.ScanLimits;
import dev.palisade.source.TreeVisitor;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * Runs the catalogers over the files of a tree while its layers stream past, then keeps only what
 * the final merged tree still shows: a package found in a file that a later layer deleted or
 * replaced is dropped, and every kept package names the earliest layer since which it has been there
 * unchanged.
 */
public final class CatalogRunner implements TreeVisitor {
    private final List<Cataloger> catalogers;
    private final ScanLimits limits;
    private final Consumer<String> progress;
    private final List<Layer> layers = new ArrayList<>();
    private final Map<String, List<FileResult>> results = new HashMap<>();
    /**
     * What one cataloger may report of one file before the rest are only counted: a hostile lock file of a million
     * bad lines would otherwise hold a million problems in memory and in the report.
     */
    static final int MAX_PROBLEMS_PER_FILE = 20;

    private final List<Problem> problems = new ArrayList<>();
    private @Nullable Layer current;
    private long filesSeen;
    private boolean replaying;

    /** What one cataloger found in one file of one layer. */
    private record FileResult(int layer, List<Package> packages, @Nullable OsRelease os) {}

    /** What was found in one file of a layer, in a form that can be kept and replayed (a layer cache). */
    public record FileFinding(String path, List<Package> packages, @Nullable OsRelease os) {
        public FileFinding {
            packages = List.copyOf(packages);
        }
    }

    public CatalogRunner(List<Cataloger> catalogers, ScanLimits limits, Consumer<String> progress) {
        this.catalogers = List.copyOf(catalogers);
        this.limits = limits;
        this.progress = progress;
    }

    @Override
    public void startLayer(Layer layer) {
        current = layer;
        layers.add(layer);
        progress.accept("layer " + (layer.index() + 1) + (layer.diffId() == null ? "" : " " + layer.diffId()));
    }

    @Override
    public void endLayer(Layer layer) {
        current = null;
    }

    @Override
    public void problem(Problem problem) {
        problems.add(problem);
    }

    /** Whether a cataloger (or the os-release reader) reads this file. */
    public boolean wants(FileEntry entry) {
        if (entry.path().equals(OsReleaseParser.ETC_PATH) || entry.path().equals(OsReleaseParser.USR_LIB_PATH)) {
            return true;
        }
        for (Cataloger cataloger : catalogers) {
            if (cataloger.wants(entry)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public void file(FileEntry entry, InputStream content) throws IOException {
        if (replaying) {
            return;
        }
        limits.deadline().check(entry.path());
        if ((++filesSeen & 0x3ff) == 0) {
            progress.accept(filesSeen + " files read");
        }
        boolean osRelease =
                entry.path().equals(OsReleaseParser.ETC_PATH) || entry.path().equals(OsReleaseParser.USR_LIB_PATH);
        List<Cataloger> wanting = new ArrayList<>(1);
        for (Cataloger cataloger : catalogers) {
            if (cataloger.wants(entry)) {
                wanting.add(cataloger);
            }
        }
        if (wanting.isEmpty() && !osRelease) {
            return;
        }
        String layerId = currentLayer().diffId();
        if (!osRelease && wanting.size() == 1 && wanting.get(0).streams()) {
            run(wanting.get(0), entry, content);
            return;
        }
        if (entry.size() > limits.maxFileBytes()) {
            problems.add(new Problem(
                    entry.path(),
                    layerId,
                    "file of " + entry.size() + " bytes is larger than the limit of " + limits.maxFileBytes()
                            + " bytes (limit maxFileBytes); not read"));
            return;
        }
        if (osRelease) {
            byte[] bytes = readAll(entry, content);
            if (bytes == null) {
                return;
            }
            OsReleaseParser.parse(TextDecoding.utf8(bytes), Location.of(entry.path()))
                    .ifPresentOrElse(
                            os -> record(
                                    entry.path(), new FileResult(currentLayer().index(), List.of(), os)),
                            () -> problems.add(new Problem(
                                    entry.path(), layerId, "os-release names no ID; distribution unknown")));
            return;
        }
        if (wanting.size() == 1) {
            run(wanting.get(0), entry, new LimitedInputStream(content, limits.maxFileBytes(), entry.path()));
            return;
        }
        byte[] bytes = readAll(entry, content);
        if (bytes != null) {
            for (Cataloger cataloger : wanting) {
                run(cataloger, entry, new ByteArrayInputStream(bytes));
            }
        }
    }

    private byte @Nullable [] readAll(FileEntry entry, InputStream content) throws IOException {
        try {
            return ContentBytes.read(
                    content, entry.size(), limits.maxFileBytes(), entry.path() + " (limit maxFileBytes)");
        } catch (ArtifactLimitException e) {
            throw e;
        } catch (IOException e) {
            problems.add(new Problem(entry.path(), currentLayer().diffId(), "cannot be read: " + ReadFailures.why(e)));
            return null;
        }
    }

    private void run(Cataloger cataloger, FileEntry entry, InputStream content) throws IOException {
        Layer layer = currentLayer();
        int[] reported = {0};
        CatalogContext context = new CatalogContext(
                limits,
                problem -> {
                    if (reported[0]++ < MAX_PROBLEMS_PER_FILE) {
                        problems.add(problem);
                    }
                },
                layer.diffId());
        try {
            List<Package> found = cataloger.catalog(entry, content, context);
            record(entry.path(), new FileResult(layer.index(), found, null));
        } catch (ArtifactLimitException e) {
            throw e;
        } catch (LimitExceededException e) {
            problems.add(new Problem(entry.path(), layer.diffId(), e.getMessage() + "; not read"));
        } catch (IOException | RuntimeException | StackOverflowError e) {
            String reason = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            problems.add(new Problem(entry.path(), layer.diffId(), cataloger.name() + " could not read it: " + reason));
        } finally {
            if (reported[0] > MAX_PROBLEMS_PER_FILE) {
                problems.add(new Problem(
                        entry.path(),
                        layer.diffId(),
                        cataloger.name() + ": " + (reported[0] - MAX_PROBLEMS_PER_FILE)
                                + " more problems in this file not listed"));
            }
        }
    }

    @Override
    public void hardLink(FileEntry link, String targetPath) {
        if (replaying) {
            return;
        }
        List<FileResult> targetResults = results.get(targetPath);
        if (targetResults == null) {
            return;
        }
        int layer = currentLayer().index();
        for (FileResult result : List.copyOf(targetResults)) {
            if (result.layer() != layer) {
                continue;
            }
            List<Package> moved = new ArrayList<>();
            for (Package p : result.packages()) {
                List<Location> locations = new ArrayList<>();
                for (Location l : p.locations()) {
                    String path = l.path().equals(targetPath) || l.path().startsWith(targetPath + "!/")
                            ? link.path() + l.path().substring(targetPath.length())
                            : l.path();
                    locations.add(new Location(path, l.layerDiffId(), l.layerCreatedBy()));
                }
                moved.add(p.withLocations(locations));
            }
            OsRelease os = result.os() == null ? null : result.os().withLocation(Location.of(link.path()));
            record(link.path(), new FileResult(layer, moved, os));
        }
    }

    /**
     * While replaying, files go by without being read: what they hold comes from {@link #importLayer}.
     */
    public void replaying(boolean replay) {
        this.replaying = replay;
    }

    /** What the catalogers found in layer {@code index}, and the problems reported for it. */
    public List<FileFinding> exportLayer(int index) {
        List<FileFinding> findings = new ArrayList<>();
        for (Map.Entry<String, List<FileResult>> e : new TreeMap<>(results).entrySet()) {
            for (FileResult r : e.getValue()) {
                if (r.layer() == index) {
                    findings.add(new FileFinding(e.getKey(), r.packages(), r.os()));
                }
            }
        }
        return findings;
    }

    public List<Problem> problemsOf(@Nullable String layerDiffId) {
        List<Problem> of = new ArrayList<>();
        for (Problem p : problems) {
            if (Objects.equals(p.layer(), layerDiffId)) {
                of.add(p);
            }
        }
        return of;
    }

    /** Takes what an earlier scan found in layer {@code index} as if the catalogers had just found it. */
    public void importLayer(int index, List<FileFinding> findings, List<Problem> layerProblems) {
        for (FileFinding f : findings) {
            record(f.path(), new FileResult(index, f.packages(), f.os()));
        }
        problems.addAll(layerProblems);
    }

    private void record(String path, FileResult result) {
        results.computeIfAbsent(path, p -> new ArrayList<>()).add(result);
    }

    private Layer currentLayer() {
        if (current == null) {
            throw new IllegalStateException("file outside of a layer");
        }
        return current;
    }

    /** The inventory of what the final tree shows. */
    public Inventory finish(ArtifactDescription artifact, FileTree tree) {
        Map<String, FileResult> visible = new TreeMap<>();
        Map<String, List<FileResult>> history = new HashMap<>();
        for (Map.Entry<String, List<FileResult>> e : results.entrySet()) {
            Optional<FileEntry> entry = tree.entry(e.getKey());
            if (entry.isEmpty() || !entry.get().isRegularFile()) {
                continue;
            }
            int finalLayer = entry.get().layer();
            List<FileResult> byLayer = new ArrayList<>(e.getValue());
            byLayer.sort(Comparator.comparingInt(FileResult::layer));
            history.put(e.getKey(), byLayer);
            byLayer.stream()
                    .filter(r -> r.layer() == finalLayer)
                    .reduce(CatalogRunner::combine)
                    .ifPresent(r -> visible.put(e.getKey(), r));
        }
        OsRelease os = findOs(tree, visible);
        Map<String, Package> packages = new LinkedHashMap<>();
        for (Map.Entry<String, FileResult> e : visible.entrySet()) {
            List<FileResult> earlier = history.getOrDefault(e.getKey(), List.of());
            Map<Identity, Set<Integer>> layersWith = layersWith(earlier);
            for (Package p : e.getValue().packages()) {
                Package placed =
                        place(p, e.getValue().layer(), earlier, layersWith.getOrDefault(Identity.of(p), Set.of()));
                if (p.ecosystem().isOperatingSystem()) {
                    placed = placed.withPurl(OsPurls.purl(placed, os));
                }
                packages.putIfAbsent(placed.key(), placed);
            }
        }
        List<Package> sorted = withDebianLicenses(packages.values());
        sorted.sort(null);
        List<Problem> sortedProblems = new ArrayList<>(problems);
        sortedProblems.sort(Comparator.comparing(Problem::path).thenComparing(Problem::reason));
        return new Inventory(artifact, os, sorted, sortedProblems);
    }

    /**
     * Puts what each visible DEP-5 copyright file declares on the dpkg package of that name, and drops
     * those statements: they are facts about a package, not packages.
     */
    private static List<Package> withDebianLicenses(java.util.Collection<Package> found) {
        Map<String, List<String>> declared = new HashMap<>();
        for (Package p : found) {
            if (p.foundBy().equals(DpkgCopyrightCataloger.NAME)) {
                declared.put(p.name(), p.licenses());
            }
        }
        List<Package> out = new ArrayList<>();
        for (Package p : found) {
            if (p.foundBy().equals(DpkgCopyrightCataloger.NAME)) {
                continue;
            }
            List<String> licenses = declared.get(p.name().split(":", 2)[0]);
            out.add(
                    p.ecosystem() == Ecosystem.DEBIAN && p.licenses().isEmpty() && licenses != null
                            ? p.withLicenses(licenses)
                            : p);
        }
        return out;
    }

    private static FileResult combine(FileResult a, FileResult b) {
        List<Package> all = new ArrayList<>(a.packages());
        all.addAll(b.packages());
        return new FileResult(a.layer(), all, a.os() != null ? a.os() : b.os());
    }

    private @Nullable OsRelease findOs(FileTree tree, Map<String, FileResult> visible) {
        for (String candidate : List.of(OsReleaseParser.ETC_PATH, OsReleaseParser.USR_LIB_PATH)) {
            Optional<String> resolved = tree.resolve(candidate);
            if (resolved.isPresent()
                    && visible.containsKey(resolved.get())
                    && visible.get(resolved.get()).os() != null) {
                OsRelease os =
                        Objects.requireNonNull(visible.get(resolved.get()).os());
                return os.withLocation(
                        locate(os.location().path(), visible.get(resolved.get()).layer()));
            }
        }
        return null;
    }

    /**
     * Gives each location its layer: the earliest layer from which the same package has been found
     * in the same file without interruption up to the final one.
     */
    private Package place(Package p, int finalLayer, List<FileResult> byLayer, Set<Integer> present) {
        int origin = finalLayer;
        for (int i = byLayer.size() - 1; i >= 0; i--) {
            int layer = byLayer.get(i).layer();
            if (layer > finalLayer) {
                continue;
            }
            if (!present.contains(layer)) {
                break;
            }
            origin = layer;
        }
        List<Location> placed = new ArrayList<>();
        for (Location l : p.locations()) {
            placed.add(locate(l.path(), origin));
        }
        return p.withLocations(placed);
    }

    /** What makes two findings in one file's history the same package. */
    private record Identity(Ecosystem ecosystem, String name, String version, List<Location> locations) {
        static Identity of(Package p) {
            return new Identity(p.ecosystem(), p.name(), p.version(), p.locations());
        }
    }

    /**
     * The layers in which each package of a file's history was found, gathered once per file: a lock file lists
     * hundreds of thousands of packages, and looking each one up in the whole history again took quadratic time.
     */
    private static Map<Identity, Set<Integer>> layersWith(List<FileResult> byLayer) {
        Map<Identity, Set<Integer>> layers = new java.util.HashMap<>();
        for (FileResult r : byLayer) {
            for (Package candidate : r.packages()) {
                layers.merge(Identity.of(candidate), Set.of(r.layer()), (had, more) -> {
                    if (had.containsAll(more)) {
                        return had;
                    }
                    Set<Integer> both = new java.util.HashSet<>(had);
                    both.addAll(more);
                    return both;
                });
            }
        }
        return layers;
    }

    private Location locate(String path, int layerIndex) {
        for (Layer layer : layers) {
            if (layer.index() == layerIndex) {
                return new Location(path, layer.diffId(), layer.createdBy());
            }
        }
        return Location.of(path);
    }
}
