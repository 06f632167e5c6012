package dev.palisade.vulndb.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import dev.palisade.testing.Scans;
import dev.palisade.vulndb.DirectoryMirror;
import dev.palisade.vulndb.GeneratedMirror;
import dev.palisade.vulndb.PackageKey;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatabaseDiffTest {
    @TempDir
    Path tmp;

    Path build(String name, String... records) throws Exception {
        Path mirror = tmp.resolve(name + "-mirror");
        GeneratedMirror.writeSource(mirror, "npm", List.of(records));
        DirectoryMirror osv = new DirectoryMirror(mirror);
        new DatabaseUpdater(tmp.resolve(name), Scans.FIXED, m -> {}).update(osv, null, null, osv.ecosystems(), false);
        return tmp.resolve(name).resolve(DatabaseUpdater.DATABASE_FILE);
    }

    @Test
    void shouldSayEverythingChangedPastTheLimitOfPackagesListed() throws Exception {
        Path before = build("before", GeneratedMirror.advisory("GHSA-1", "npm", "a"));
        Path after = build(
                "after",
                GeneratedMirror.advisory("GHSA-1", "npm", "a"),
                GeneratedMirror.advisory("GHSA-2", "npm", "b"),
                GeneratedMirror.advisory("GHSA-3", "npm", "c"));

        assertThat(DatabaseDiff.between(before, after, 2).packages())
                .containsExactly(new PackageKey("npm", "b"), new PackageKey("npm", "c"));
        assertThat(DatabaseDiff.between(before, after, 1).everything()).isTrue();
        assertThat(DatabaseDiff.between(before, after, 1).reason()).isEqualTo("more than 1 packages changed");
        assertThat(DatabaseDiff.between(tmp.resolve("none"), after).reason()).isEqualTo("no previous database");
        assertThat(Files.exists(tmp.resolve("none"))).isFalse();
    }
}
