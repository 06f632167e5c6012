package dev.palisade.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.palisade.catalog.CatalogContext;
import dev.palisade.catalog.Cataloger;
import dev.palisade.inventory.Inventory;
import dev.palisade.inventory.Location;
import dev.palisade.inventory.Package;
import dev.palisade.scan.InventoryScanner;
import dev.palisade.source.Artifact;
import dev.palisade.source.ArtifactKind;
import dev.palisade.source.DeploymentModel;
import dev.palisade.source.FileEntry;
import dev.palisade.source.Problem;
import dev.palisade.source.ScanLimits;
import dev.palisade.source.directory.DirectoryArtifact;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * Runs ONE cataloger over a fixture directory through the real source, merge and catalog runner, and
 * checks what it found, what it reported and which files it read (after Syft's
 * {@code pkgtest.CatalogTester}):
 *
 * <pre>
 * CatalogerTester.fromDirectory("fixtures/apk").as(ArtifactKind.ROOTFS)
 *         .expectsPackages(CatalogerTester.pkg("musl", "1.2.4-r2", "pkg:apk/...", "lib/apk/db/installed"))
 *         .expectsNoProblems()
 *         .test(new ApkInstalledCataloger());
 * </pre>
 *
 * Whatever is expected, it also checks that every package is attributed to the cataloger and located
 * in a file the cataloger was given.
 */
public final class CatalogerTester {
    private static final Path RESOURCES = Paths.get("src/test/resources");

    /** The facts of a package the tester compares: name, version, purl and the path of its first location. */
    public record ExpectedPackage(String name, String version, String purl, String path) {
        static ExpectedPackage of(Package p) {
            return new ExpectedPackage(
                    p.name(),
                    p.version(),
                    p.purl(),
                    p.locations().isEmpty() ? "" : p.locations().get(0).path());
        }

        @Override
        public String toString() {
            return name + "@" + version + " " + purl + " (" + path + ")";
        }
    }

    /** A problem expected on {@code path} whose reason contains {@code reasonPart}. */
    public record ExpectedProblem(String path, String reasonPart) {}

    private final Path directory;
    private ArtifactKind kind = ArtifactKind.DIRECTORY;
    private ScanLimits limits = ScanLimits.defaults();
    private @Nullable List<ExpectedPackage> expectedPackages;
    private final List<ExpectedProblem> expectedProblems = new ArrayList<>();
    private boolean noProblems;
    private @Nullable List<String> expectedReads;

    private CatalogerTester(Path directory) {
        this.directory = directory;
    }

    /** A fixture directory: relative paths are taken from {@code src/test/resources}. */
    public static CatalogerTester fromDirectory(String fixture) {
        return fromDirectory(RESOURCES.resolve(fixture));
    }

    public static CatalogerTester fromDirectory(Path directory) {
        return new CatalogerTester(directory);
    }

    public static ExpectedPackage pkg(String name, String version, String purl, String path) {
        return new ExpectedPackage(name, version, purl, path);
    }

    /** The kind of artifact the directory is opened as; a project directory unless told. */
    public CatalogerTester as(ArtifactKind artifactKind) {
        this.kind = artifactKind;
        return this;
    }

    public CatalogerTester withLimits(ScanLimits scanLimits) {
        this.limits = scanLimits;
        return this;
    }

    /** Exactly these packages, in any order. */
    public CatalogerTester expectsPackages(ExpectedPackage... packages) {
        this.expectedPackages = List.of(packages);
        return this;
    }

    public CatalogerTester expectsNoPackages() {
        return expectsPackages();
    }

    /** At least a problem on {@code path} whose reason contains {@code reasonPart}; other problems may be reported too. */
    public CatalogerTester expectsProblem(String path, String reasonPart) {
        expectedProblems.add(new ExpectedProblem(path, reasonPart));
        return this;
    }

    public CatalogerTester expectsNoProblems() {
        this.noProblems = true;
        return this;
    }

    /** Exactly these files, in any order, handed to the cataloger to read. */
    public CatalogerTester expectsReads(String... paths) {
        this.expectedReads = List.of(paths);
        return this;
    }

    /** Runs the cataloger and checks every expectation; the inventory is returned for further checks. */
    public Inventory test(Cataloger cataloger) throws Exception {
        ReadRecorder recorder = new ReadRecorder(cataloger);
        Inventory inventory;
        try (Artifact artifact =
                DirectoryArtifact.open(directory, kind, DeploymentModel.UNSPECIFIED, Set.of(), limits)) {
            inventory = new InventoryScanner(limits, message -> {}).scan(artifact, List.of(recorder));
        }
        String context = cataloger.name() + " on " + directory + ", problems " + inventory.problems();

        for (Package p : inventory.packages()) {
            assertThat(p.foundBy())
                    .as("the cataloger that found %s; %s", p, context)
                    .isEqualTo(cataloger.name());
            assertThat(p.locations())
                    .as("locations of %s: files the cataloger read; %s", p, context)
                    .extracting(Location::path)
                    .allSatisfy(path -> assertThat(recorder.reads)
                            .contains(path.contains("!/") ? path.substring(0, path.indexOf("!/")) : path));
        }
        if (expectedPackages != null) {
            assertThat(inventory.packages())
                    .as("packages; %s", context)
                    .extracting(ExpectedPackage::of)
                    .containsExactlyInAnyOrderElementsOf(expectedPackages);
        }
        for (ExpectedProblem expected : expectedProblems) {
            assertThat(inventory.problems())
                    .as("a problem on %s mentioning '%s'; %s", expected.path(), expected.reasonPart(), context)
                    .anySatisfy(p -> {
                        assertThat(p.path()).isEqualTo(expected.path());
                        assertThat(p.reason()).contains(expected.reasonPart());
                    });
        }
        if (noProblems) {
            assertThat(inventory.problems()).as("problems; %s", context).isEmpty();
        }
        if (expectedReads != null) {
            assertThat(recorder.reads)
                    .as("files the cataloger read; %s", context)
                    .containsExactlyInAnyOrderElementsOf(expectedReads);
        }
        return inventory;
    }

    /** The problems of an inventory as {@code path: reason} lines, for messages. */
    public static String describe(List<Problem> problems) {
        return problems.stream().map(Problem::toString).collect(Collectors.joining("\n"));
    }

    /** Passes everything to the cataloger under test and notes each file it is given to read. */
    private static final class ReadRecorder implements Cataloger {
        private final Cataloger cataloger;
        private final List<String> reads = new ArrayList<>();

        ReadRecorder(Cataloger cataloger) {
            this.cataloger = cataloger;
        }

        @Override
        public String name() {
            return cataloger.name();
        }

        @Override
        public boolean wants(FileEntry file) {
            return cataloger.wants(file);
        }

        @Override
        public boolean streams() {
            return cataloger.streams();
        }

        @Override
        public List<Package> catalog(FileEntry file, InputStream content, CatalogContext context) throws IOException {
            reads.add(file.path());
            return cataloger.catalog(file, content, context);
        }
    }
}
