package dev.palisade.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import dev.palisade.catalog.apk.ApkInstalledCataloger;
import dev.palisade.catalog.dpkg.DpkgStatusCataloger;
import dev.palisade.catalog.npm.YarnLockCataloger;
import dev.palisade.inventory.Inventory;
import dev.palisade.source.Problem;
import dev.palisade.testing.CatalogerTester;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** A file of a thousand garbage lines gives a handful of problems, not a thousand. */
class MalformedLinesTest {
    @TempDir
    Path root;

    static Stream<Arguments> lineFormats() {
        return Stream.of(
                Arguments.of("var/lib/dpkg/status", new DpkgStatusCataloger()),
                Arguments.of("lib/apk/db/installed", new ApkInstalledCataloger()),
                Arguments.of("yarn.lock", new YarnLockCataloger()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("lineFormats")
    void shouldSummariseTheMalformedLinesBeyondTheFirstTen(String path, Cataloger cataloger) throws Exception {
        Path file = root.resolve(path);
        Files.createDirectories(file.getParent());
        Files.writeString(file, "garbage\n".repeat(1000));

        Inventory inventory = CatalogerTester.fromDirectory(root)
                .expectsNoPackages()
                .expectsProblem(path, "990 more malformed lines, from line 11 on, were not read either")
                .test(cataloger);

        assertThat(inventory.problems()).hasSize(11).extracting(Problem::path).containsOnly(path);
    }
}
