package dev.palisade.catalog.golang;

import static dev.palisade.testing.CatalogerTester.pkg;

import dev.palisade.testing.CatalogerTester;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GoModCatalogerTest {
    @TempDir
    Path project;

    @Test
    void shouldReadAHandEditedGoModWithAByteOrderMarkTabsAndCrlf() throws Exception {
        Files.write(
                project.resolve("go.mod"),
                ("\uFEFFmodule example.com/app\r\n\r\ngo\t1.22\r\n\r\n"
                                + "require\tgithub.com/pkg/errors v0.9.1 // pinned\r\n")
                        .getBytes(StandardCharsets.UTF_8));

        CatalogerTester.fromDirectory(project)
                .expectsPackages(
                        pkg("github.com/pkg/errors", "v0.9.1", "pkg:golang/github.com/pkg/errors@v0.9.1", "go.mod"))
                .expectsNoProblems()
                .test(new GoModCataloger());
    }

    @Test
    void shouldSkipARequirementWhoseVersionIsCutShort() throws Exception {
        Files.writeString(
                project.resolve("go.mod"),
                "module example.com/app\n\nrequire golang.org/x/net v0.17.0\nrequire github.com/pkg/errors v0.9");

        CatalogerTester.fromDirectory(project)
                .expectsPackages(pkg("golang.org/x/net", "v0.17.0", "pkg:golang/golang.org/x/net@v0.17.0", "go.mod"))
                .expectsProblem("go.mod", "line 4: the version of github.com/pkg/errors is not a module version")
                .test(new GoModCataloger());
    }

    @Test
    void shouldReadARequireBlockClosedOnTheLastLineWithoutALineBreak() throws Exception {
        Files.writeString(
                project.resolve("go.mod"), "module example.com/app\n\nrequire (\n\tgolang.org/x/net v0.17.0\n)");

        CatalogerTester.fromDirectory(project)
                .expectsPackages(pkg("golang.org/x/net", "v0.17.0", "pkg:golang/golang.org/x/net@v0.17.0", "go.mod"))
                .expectsNoProblems()
                .test(new GoModCataloger());
    }
}
