package dev.palisade.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import dev.palisade.catalog.apk.ApkInstalledCataloger;
import dev.palisade.catalog.dotnet.DotnetCataloger;
import dev.palisade.catalog.dpkg.DpkgStatusCataloger;
import dev.palisade.catalog.golang.GoModCataloger;
import dev.palisade.catalog.npm.NpmInstalledCataloger;
import dev.palisade.catalog.npm.PackageLockCataloger;
import dev.palisade.catalog.npm.PnpmLockCataloger;
import dev.palisade.catalog.npm.YarnLockCataloger;
import dev.palisade.catalog.php.ComposerLockCataloger;
import dev.palisade.catalog.python.PythonInstalledCataloger;
import dev.palisade.catalog.python.PythonLockCataloger;
import dev.palisade.catalog.ruby.GemfileLockCataloger;
import dev.palisade.catalog.rust.CargoLockCataloger;
import dev.palisade.inventory.Package;
import dev.palisade.source.FileEntry;
import dev.palisade.source.FileKind;
import dev.palisade.source.Problem;
import dev.palisade.source.ScanLimits;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every happy fixture of the text catalogers cut after each of its bytes: whatever the cut, the
 * cataloger finds only packages the whole file lists, with the versions it lists. A version cut in
 * half ({@code 1.2} of {@code 1.2.4-r2}) would be a package made up by the scanner.
 */
class CatalogerTruncationTest {
    private static final Path FIXTURES = Paths.get("src/test/resources/fixtures");

    /** @param alsoTrue what a cut may truly show beyond the whole file's packages */
    record Fixture(String file, String path, Cataloger cataloger, String... alsoTrue) {
        @Override
        public String toString() {
            return file;
        }
    }

    static Stream<Fixture> fixtures() {
        return Stream.of(
                new Fixture("debian-bullseye/var/lib/dpkg/status", "var/lib/dpkg/status", new DpkgStatusCataloger()),
                new Fixture("apk/lib/apk/db/installed", "lib/apk/db/installed", new ApkInstalledCataloger()),
                new Fixture(
                        "npm/installed/node_modules/lodash/package.json",
                        "node_modules/lodash/package.json",
                        new NpmInstalledCataloger()),
                new Fixture(
                        "python/site-packages/requests-2.31.0.dist-info/METADATA",
                        "site-packages/requests-2.31.0.dist-info/METADATA",
                        new PythonInstalledCataloger()),
                new Fixture(
                        "python/site-packages/PyYAML-6.0.1.egg-info/PKG-INFO",
                        "site-packages/PyYAML-6.0.1.egg-info/PKG-INFO",
                        new PythonInstalledCataloger()),
                new Fixture("dotnet/app.deps.json", "app/app.deps.json", new DotnetCataloger(false)),
                new Fixture("npm/lock/package-lock.json", "package-lock.json", new PackageLockCataloger()),
                new Fixture("npm/yarn/yarn.lock", "yarn.lock", new YarnLockCataloger()),
                new Fixture("npm/pnpm/pnpm-lock.yaml", "pnpm-lock.yaml", new PnpmLockCataloger()),
                new Fixture("python/lock/poetry.lock", "poetry.lock", new PythonLockCataloger()),
                new Fixture("python/lock/Pipfile.lock", "Pipfile.lock", new PythonLockCataloger()),
                // cut before its replace directive, go.mod requires the version its require line states
                new Fixture("golang/go.mod", "go.mod", new GoModCataloger(), "github.com/pkg/errors@v0.9.1"),
                new Fixture("rust/Cargo.lock", "Cargo.lock", new CargoLockCataloger()),
                new Fixture("ruby/Gemfile.lock", "Gemfile.lock", new GemfileLockCataloger()),
                new Fixture("php/composer.lock", "composer.lock", new ComposerLockCataloger()),
                new Fixture("dotnet/packages.lock.json", "packages.lock.json", new DotnetCataloger(true)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void shouldMakeUpNoPackageWhereverTheFileIsCut(Fixture fixture) throws Exception {
        byte[] whole = Files.readAllBytes(FIXTURES.resolve(fixture.file()));
        Set<String> listed = coordinates(fixture, whole, new ArrayList<>());
        assertThat(listed).as("packages of the whole %s", fixture.file()).isNotEmpty();
        listed.addAll(List.of(fixture.alsoTrue()));

        for (int cut = 0; cut < whole.length; cut++) {
            byte[] prefix = Arrays.copyOf(whole, cut);
            List<Problem> problems = new ArrayList<>();
            Set<String> found = coordinates(fixture, prefix, problems);
            assertThat(listed)
                    .as("%s cut after %d bytes, ending '%s'; problems %s", fixture.file(), cut, tail(prefix), problems)
                    .containsAll(found);
        }
    }

    /** {@code name@version} of what the cataloger finds; a thrown exception counts as reported, as CatalogRunner does. */
    private static Set<String> coordinates(Fixture fixture, byte[] bytes, List<Problem> problems) {
        FileEntry entry = new FileEntry(fixture.path(), FileKind.FILE, bytes.length, 0644, 0, 0, null, 0);
        Set<String> found = new TreeSet<>();
        try {
            for (Package p : fixture.cataloger()
                    .catalog(
                            entry,
                            new ByteArrayInputStream(bytes),
                            new CatalogContext(ScanLimits.defaults(), problems::add, null))) {
                found.add(p.name() + "@" + p.version());
            }
        } catch (IOException | RuntimeException e) {
            problems.add(new Problem(fixture.path(), null, String.valueOf(e.getMessage())));
        }
        return found;
    }

    private static String tail(byte[] prefix) {
        String text = new String(prefix, java.nio.charset.StandardCharsets.UTF_8);
        return text.substring(Math.max(0, text.length() - 30)).replace("\n", "\\n");
    }
}
