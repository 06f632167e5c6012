package dev.palisade;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noFields;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The package graph of docs/architecture.md and the project's rules, checked on the compiled classes. */
class ArchitectureTest {
    /** Top-level package -> the top-level packages it may use. */
    static final Map<String, Set<String>> ALLOWED = Map.ofEntries(
            Map.entry("source", Set.of()),
            Map.entry("inventory", Set.of("source")),
            Map.entry("catalog", Set.of("source", "inventory")),
            Map.entry("version", Set.of()),
            Map.entry("vulndb", Set.of("source")),
            Map.entry("match", Set.of("source", "inventory", "version", "vulndb")),
            Map.entry("checks", Set.of("source", "inventory", "match")),
            Map.entry("policy", Set.of("source", "inventory", "match", "checks")),
            Map.entry("report", Set.of("source", "inventory", "match", "checks", "policy", "vulndb")),
            Map.entry("registry", Set.of("source")),
            // audit evidence: reads saved reports or a server's history, never runs a scan
            Map.entry("evidence", Set.of("match", "checks", "policy")),
            Map.entry("engine", Set.of("source")),
            Map.entry(
                    "assess",
                    Set.of("source", "inventory", "catalog", "checks", "match", "vulndb", "policy", "report", "scan")),
            Map.entry("trace", Set.of()),
            Map.entry(
                    "scan",
                    Set.of(
                            "source",
                            "inventory",
                            "catalog",
                            "checks",
                            "match",
                            "vulndb",
                            "policy",
                            "report",
                            "registry",
                            "engine")),
            Map.entry(
                    "server",
                    Set.of(
                            "source",
                            "inventory",
                            "catalog",
                            "version",
                            "vulndb",
                            "match",
                            "scan",
                            "report",
                            "registry",
                            "checks",
                            "policy",
                            // the portfolio assessment of stored applications, by the CLI's Assessor
                            "assess")),
            Map.entry(
                    "cli",
                    Set.of(
                            "source",
                            "inventory",
                            "catalog",
                            "version",
                            "vulndb",
                            "match",
                            "scan",
                            "report",
                            "registry",
                            "engine",
                            "checks",
                            "policy",
                            "server",
                            "evidence",
                            "assess",
                            "trace")));

    static JavaClasses classes;

    @BeforeAll
    static void importClasses() {
        classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.palisade");
    }

    @Test
    void shouldOnlyUseWhatThePackageGraphAllows() {
        List<String> violations = new ArrayList<>();
        classes.forEach(c -> {
            String top = top(c.getPackageName());
            if (top == null) {
                return;
            }
            Set<String> allowed = ALLOWED.get(top);
            if (allowed == null) {
                violations.add(c.getName() + ": package " + top + " is not in the graph");
                return;
            }
            c.getDirectDependenciesFromSelf().forEach(d -> {
                String target = top(d.getTargetClass().getPackageName());
                if (target != null && !target.equals(top) && !allowed.contains(target)) {
                    violations.add(d.getDescription());
                }
            });
        });
        org.assertj.core.api.Assertions.assertThat(violations).isEmpty();
    }

    @Test
    void shouldHaveNoCyclesBetweenPackagesAtAnyLevel() {
        slices().matching("dev.palisade.(*)..").should().beFreeOfCycles().check(classes);
        slices().matching("dev.palisade.*.(*)..").should().beFreeOfCycles().check(classes);
    }

    @Test
    void shouldReadTheProcessEnvironmentOnlyInTheCommandLine() {
        ArchRule rule = noClasses()
                .that()
                .resideOutsideOfPackage("dev.palisade.cli..")
                .should()
                .callMethod(System.class, "getenv")
                .orShould()
                .callMethod(System.class, "getenv", String.class)
                .orShould()
                .callMethod(System.class, "getProperty", String.class)
                .orShould()
                .callMethod(System.class, "getProperty", String.class, String.class)
                .orShould()
                .callMethod(System.class, "getProperties")
                .orShould()
                .callMethod(System.class, "setProperty", String.class, String.class)
                .because("configuration comes in through constructors; only the CLI reads the process");
        rule.check(classes);
    }

    @Test
    void shouldHaveNoStaticMutableState() {
        noFields()
                .that()
                .areStatic()
                .and()
                .areNotFinal()
                .and()
                .areDeclaredInClassesThat()
                .resideInAPackage("dev.palisade..")
                .should()
                .bePublic()
                .orShould()
                .bePrivate()
                .orShould()
                .beProtected()
                .orShould()
                .bePackagePrivate()
                .because("there is no global mutable state")
                .allowEmptyShould(true)
                .check(classes);
    }

    @Test
    void shouldKeepReportWritersFreeOfTheCommandLine() {
        noClasses()
                .that()
                .resideInAPackage("dev.palisade.report..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("picocli..")
                .check(classes);
    }

    private static String top(String packageName) {
        if (!packageName.startsWith("dev.palisade.")) {
            return null;
        }
        String rest = packageName.substring("dev.palisade.".length());
        int dot = rest.indexOf('.');
        return dot < 0 ? rest : rest.substring(0, dot);
    }
}
