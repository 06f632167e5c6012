package dev.palisade.catalog.gradle;

import dev.palisade.inventory.Package;
import dev.palisade.source.FileEntry;
import dev.palisade.source.Problem;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A Gradle build whose dependencies nothing in the directory states: its build scripts alone cannot be
 * resolved without running Gradle, which a scan never does, so the user is told what to add.
 */
public final class GradleBuilds {
    private static final Set<String> BUILD_FILES =
            Set.of("build.gradle", "build.gradle.kts", "settings.gradle", "settings.gradle.kts");
    private static final Set<String> RESOLVED_BY =
            Set.of(new GradleLockfileCataloger().name(), new GradleDependenciesCataloger().name());

    private GradleBuilds() {}

    /** A problem on the top build file when there are Gradle build files but no lock file and no saved tree. */
    public static Optional<Problem> unresolved(Collection<FileEntry> entries, List<Package> packages) {
        if (packages.stream().anyMatch(p -> RESOLVED_BY.contains(p.foundBy()))) {
            return Optional.empty();
        }
        return entries.stream()
                .filter(e -> e.isRegularFile() && BUILD_FILES.contains(e.name()))
                .map(FileEntry::path)
                .min(Comparator.comparingInt((String p) -> p.split("/").length).thenComparing(p -> p))
                .map(path -> new Problem(
                        path,
                        null,
                        "a Gradle build without gradle.lockfile: its dependencies are not listed. Save the tree "
                                + "Gradle resolves with `gradle dependencies > " + GradleDependenciesCataloger.FILE_NAME
                                + "` (or ./gradlew) in the project directory, or lock its dependencies "
                                + "(`gradle dependencies --write-locks`), and scan again"));
    }
}
