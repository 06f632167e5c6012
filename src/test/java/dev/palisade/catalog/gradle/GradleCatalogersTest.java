package dev.palisade.catalog.gradle;

import static dev.palisade.testing.CatalogerTester.pkg;
import static org.assertj.core.api.Assertions.assertThat;

import dev.palisade.inventory.Inventory;
import dev.palisade.inventory.Package;
import dev.palisade.source.FileEntry;
import dev.palisade.source.FileKind;
import dev.palisade.testing.CatalogerTester;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class GradleCatalogersTest {
    @Test
    void readsBothLockFilesWithTheirConfigurations() throws Exception {
        Inventory inventory = CatalogerTester.fromDirectory("fixtures/gradle")
                .expectsNoProblems()
                .expectsPackages(
                        pkg(
                                "com.fasterxml.jackson.core:jackson-core",
                                "2.15.2",
                                "pkg:maven/com.fasterxml.jackson.core/jackson-core@2.15.2",
                                "gradle.lockfile"),
                        pkg(
                                "com.github.johnrengelman:shadow",
                                "8.1.1",
                                "pkg:maven/com.github.johnrengelman/shadow@8.1.1",
                                "buildscript-gradle.lockfile"),
                        pkg(
                                "com.google.guava:guava",
                                "32.1.2-jre",
                                "pkg:maven/com.google.guava/guava@32.1.2-jre",
                                "gradle.lockfile"),
                        pkg(
                                "org.junit.jupiter:junit-jupiter-api",
                                "5.10.0",
                                "pkg:maven/org.junit.jupiter/junit-jupiter-api@5.10.0",
                                "gradle.lockfile"))
                .test(new GradleLockfileCataloger());

        assertThat(find(inventory, "org.junit.jupiter:junit-jupiter-api").metadata())
                .containsEntry("scope", "testCompileClasspath,testRuntimeClasspath");
        assertThat(find(inventory, "com.github.johnrengelman:shadow").metadata())
                .containsEntry("scope", "classpath")
                .containsEntry("buildscript", "true");
    }

    @Test
    void readsVerificationMetadataComponentsWithTheJarsSha256() throws Exception {
        Inventory inventory = CatalogerTester.fromDirectory("fixtures/gradle")
                .expectsNoProblems()
                .expectsPackages(
                        pkg(
                                "com.google.guava:guava",
                                "32.1.2-jre",
                                "pkg:maven/com.google.guava/guava@32.1.2-jre",
                                "gradle/verification-metadata.xml"),
                        pkg(
                                "org.slf4j:slf4j-api",
                                "2.0.9",
                                "pkg:maven/org.slf4j/slf4j-api@2.0.9",
                                "gradle/verification-metadata.xml"))
                .test(new GradleVerificationMetadataCataloger());

        assertThat(find(inventory, "com.google.guava:guava").metadata())
                .containsEntry("sha256", "bc65dea7cfd9e4dacf8419d8af0e741655857d27885bb35d943d7187fc3a8fce")
                .containsEntry("sha256Of", "guava-32.1.2-jre.jar");
        assertThat(find(inventory, "org.slf4j:slf4j-api").metadata()).containsEntry("sha256Of", "slf4j-api-2.0.9.pom");
    }

    @Test
    void readsTheDependenciesTreeWithOverridesConstraintsAndPaths() throws Exception {
        Inventory inventory = CatalogerTester.fromDirectory("fixtures/gradle")
                .expectsProblem("app/gradle-dependencies.txt", "org.example:missing:1.0: Gradle could not resolve it")
                .test(new GradleDependenciesCataloger());

        Map<String, String> found = new TreeMap<>();
        for (Package p : inventory.packages()) {
            found.put(
                    p.name() + "@" + p.version(),
                    p.metadata().get("scope") + " | " + p.metadata().get("dependencyPath"));
        }
        assertThat(found)
                .containsExactly(
                        Map.entry(
                                "com.google.code.findbugs:jsr305@3.0.2",
                                "compileClasspath,runtimeClasspath | project :app > com.google.guava:guava:32.1.2-jre"
                                        + " > com.google.code.findbugs:jsr305:3.0.2"),
                        Map.entry(
                                "com.google.guava:failureaccess@1.0.1",
                                "compileClasspath,runtimeClasspath | project :app > com.google.guava:guava:32.1.2-jre"
                                        + " > com.google.guava:failureaccess:1.0.1"),
                        Map.entry(
                                "com.google.guava:guava@32.1.2-jre",
                                "compileClasspath,runtimeClasspath | project :app > com.google.guava:guava:32.1.2-jre"),
                        Map.entry(
                                "org.apache.commons:commons-lang3@3.12.0",
                                "compileClasspath,runtimeClasspath | project :app > project :lib"
                                        + " > org.apache.commons:commons-text:1.10.0 > org.apache.commons:commons-lang3:3.12.0"),
                        Map.entry(
                                "org.apache.commons:commons-text@1.10.0",
                                "compileClasspath,runtimeClasspath | project :app > project :lib"
                                        + " > org.apache.commons:commons-text:1.10.0"),
                        Map.entry(
                                "org.junit.jupiter:junit-jupiter-api@5.10.0",
                                "testRuntimeClasspath | project :app > org.junit.jupiter:junit-jupiter:5.10.0"
                                        + " > org.junit.jupiter:junit-jupiter-api:5.10.0"),
                        Map.entry(
                                "org.junit.jupiter:junit-jupiter@5.10.0",
                                "testRuntimeClasspath | project :app > org.junit.jupiter:junit-jupiter:5.10.0"),
                        Map.entry(
                                "org.junit:junit-bom@5.10.0",
                                "testRuntimeClasspath | project :app > org.junit.jupiter:junit-jupiter:5.10.0"
                                        + " > org.junit:junit-bom:5.10.0"),
                        Map.entry(
                                "org.slf4j:jcl-over-slf4j@2.0.7",
                                "compileClasspath | project :app > org.slf4j:jcl-over-slf4j:2.0.7"),
                        Map.entry(
                                "org.springframework.boot:spring-boot-dependencies@3.1.0",
                                "compileClasspath | project :app > org.springframework.boot:spring-boot-dependencies:3.1.0"),
                        Map.entry(
                                "org.yaml:snakeyaml@2.0", "compileClasspath | project :app > org.yaml:snakeyaml:2.0"));
        Package guava = find(inventory, "com.google.guava:guava");
        assertThat(guava.metadata())
                .containsEntry("direct", "true")
                .containsEntry(
                        "dependsOn",
                        "pkg:maven/com.google.guava/failureaccess@1.0.1 pkg:maven/com.google.code.findbugs/jsr305@3.0.2");
        assertThat(find(inventory, "org.apache.commons:commons-text").metadata())
                .containsEntry("direct", "false");
    }

    @Test
    void aGradleBuildWithoutLockFilesIsToldWhatToAdd() {
        List<FileEntry> entries = List.of(file("app/build.gradle.kts"), file("settings.gradle.kts"));

        assertThat(GradleBuilds.unresolved(entries, List.of())).hasValueSatisfying(problem -> {
            assertThat(problem.path()).isEqualTo("settings.gradle.kts");
            assertThat(problem.reason()).contains("gradle dependencies > gradle-dependencies.txt");
        });
        assertThat(GradleBuilds.unresolved(List.of(file("pom.xml")), List.of())).isEmpty();
    }

    private static FileEntry file(String path) {
        return new FileEntry(path, FileKind.FILE, 10, 0644, 0, 0, null, 0);
    }

    private static Package find(Inventory inventory, String name) {
        return inventory.packages().stream()
                .filter(p -> p.name().equals(name))
                .findFirst()
                .orElseThrow();
    }
}
