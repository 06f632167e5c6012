package dev.palisade.maven;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.palisade.cli.Environment;
import dev.palisade.cli.Main;
import dev.palisade.match.Severity;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.maven.artifact.Artifact;
import org.apache.maven.execution.MavenSession;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.plugins.annotations.ResolutionScope;
import org.apache.maven.project.MavenProject;

/**
 * Scans the dependencies Maven resolved for the project (every scope, transitive ones included) with Palisade:
 * the same database, matching and report writers as {@code palisade sbom}, which this goal runs on a CycloneDX
 * list of those dependencies. Writes SARIF and CycloneDX reports and fails the build on a severity threshold.
 */
@Mojo(
        name = "check",
        defaultPhase = LifecyclePhase.VERIFY,
        requiresDependencyResolution = ResolutionScope.TEST,
        threadSafe = true)
public final class CheckMojo extends AbstractMojo {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Parameter(defaultValue = "${project}", readonly = true, required = true)
    private MavenProject project;

    @Parameter(defaultValue = "${session}", readonly = true, required = true)
    private MavenSession session;

    /** Fail the build when a vulnerability of this severity or higher remains: CRITICAL, HIGH, MEDIUM, LOW, UNKNOWN, or NONE. */
    @Parameter(property = "palisade.severity", defaultValue = "HIGH")
    private String failOnSeverity;

    /** The SARIF report (all findings, whatever the threshold). */
    @Parameter(property = "palisade.sarifFile", defaultValue = "${project.build.directory}/palisade.sarif")
    private File sarifFile;

    /** The CycloneDX report: the dependencies and their vulnerabilities. */
    @Parameter(property = "palisade.cycloneDxFile", defaultValue = "${project.build.directory}/palisade.cdx.json")
    private File cycloneDxFile;

    /** The list of resolved dependencies handed to the scanner (CycloneDX, with scopes and the dependency graph). */
    @Parameter(
            property = "palisade.dependenciesFile",
            defaultValue = "${project.build.directory}/palisade-dependencies.cdx.json")
    private File dependenciesFile;

    /** OSV export to update the database from: a URL or a directory (default: $PALISADE_DB_MIRROR, else online OSV). */
    @Parameter(property = "palisade.dbMirror")
    private String dbMirror;

    /** Where the database is kept (default: the command line's, $PALISADE_CACHE_DIR or ~/.cache/palisade). */
    @Parameter(property = "palisade.cacheDir")
    private File cacheDir;

    /** Findings not to report: a .trivyignore or its YAML form (default: .trivyignore in the project's directory). */
    @Parameter(property = "palisade.ignoreFile")
    private File ignoreFile;

    @Parameter(property = "palisade.skip", defaultValue = "false")
    private boolean skip;

    @Override
    public void execute() throws MojoExecutionException, MojoFailureException {
        if (skip) {
            getLog().info("Palisade check skipped");
            return;
        }
        List<Severity> failing = failingSeverities(failOnSeverity);
        List<ResolvedDependency> dependencies = new ArrayList<>();
        for (Artifact a : project.getArtifacts()) {
            dependencies.add(new ResolvedDependency(
                    a.getGroupId(),
                    a.getArtifactId(),
                    a.getBaseVersion(),
                    a.getType(),
                    a.getClassifier(),
                    a.getScope(),
                    a.getDependencyTrail() == null || a.getDependencyTrail().isEmpty()
                            ? List.of(projectId(), a.getId())
                            : a.getDependencyTrail()));
        }
        ResolvedDependency self = new ResolvedDependency(
                project.getGroupId(),
                project.getArtifactId(),
                project.getVersion(),
                "jar",
                "",
                "compile",
                List.of(projectId()));
        try {
            Files.createDirectories(dependenciesFile.toPath().toAbsolutePath().getParent());
            Files.write(dependenciesFile.toPath(), DependencyBom.write(self, dependencies, "pom.xml"));
        } catch (IOException e) {
            throw new MojoExecutionException("cannot write " + dependenciesFile + ": " + e.getMessage(), e);
        }
        getLog().info("Palisade: scanning " + dependencies.size() + " resolved dependencies of " + projectId());

        run(List.of("-f", "sarif", "-o", sarifFile.toString()), false);
        run(List.of("-f", "cyclonedx", "-o", cycloneDxFile.toString()), true);
        getLog().info("Palisade: reports in " + sarifFile + " and " + cycloneDxFile);
        if (failing.isEmpty()) {
            return;
        }
        List<String> severities = failing.stream().map(Enum::name).toList();
        Run verdict = run(List.of("-f", "json", "-s", String.join(",", severities), "--exit-code", "1"), true);
        if (verdict.exitCode() == 0) {
            getLog().info("Palisade: no vulnerability of severity " + failOnSeverity.toUpperCase(Locale.ROOT)
                    + " or higher");
            return;
        }
        throw new MojoFailureException(failureMessage(verdict.stdout(), dependencies));
    }

    private String projectId() {
        return project.getGroupId() + ":" + project.getArtifactId() + ":" + project.getPackaging() + ":"
                + project.getVersion();
    }

    static List<Severity> failingSeverities(String threshold) throws MojoExecutionException {
        String name = threshold == null ? "" : threshold.trim().toUpperCase(Locale.ROOT);
        if (name.equals("NONE")) {
            return List.of();
        }
        Severity limit;
        try {
            limit = Severity.valueOf(name);
        } catch (IllegalArgumentException e) {
            throw new MojoExecutionException("failOnSeverity (palisade.severity): unknown severity '" + threshold
                    + "' (use CRITICAL, HIGH, MEDIUM, LOW, UNKNOWN or NONE)");
        }
        List<Severity> failing = new ArrayList<>();
        for (Severity s : Severity.values()) {
            if (s.ordinal() <= limit.ordinal()) {
                failing.add(s);
            }
        }
        return failing;
    }

    private record Run(int exitCode, String stdout) {}

    /** One {@code palisade sbom} run on the dependency list, its messages passed on to Maven's log. */
    private Run run(List<String> output, boolean quiet) throws MojoExecutionException {
        List<String> args = new ArrayList<>(List.of("sbom", dependenciesFile.toString(), "--scanners", "vuln"));
        args.addAll(output);
        if (quiet) {
            args.add("-q");
        }
        Map<String, String> variables = new HashMap<>(System.getenv());
        String mirror = dbMirror != null && !dbMirror.isBlank() ? dbMirror : variables.get("PALISADE_DB_MIRROR");
        if (dbMirror != null && !dbMirror.isBlank()) {
            args.addAll(List.of("--db-mirror", dbMirror));
        }
        if (cacheDir != null) {
            args.addAll(List.of("--cache-dir", cacheDir.toString()));
        }
        if (ignoreFile != null) {
            args.addAll(List.of("--ignore-file", ignoreFile.toString()));
        }
        // mvn -o: no network, so no update, unless the mirror is a directory on this machine
        if (session.isOffline() && (mirror == null || mirror.startsWith("http://") || mirror.startsWith("https://"))) {
            args.add("--offline");
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit;
        try (PrintStream outStream = new PrintStream(out, true, StandardCharsets.UTF_8);
                PrintStream errStream = new PrintStream(err, true, StandardCharsets.UTF_8)) {
            Environment environment = new Environment(
                    outStream,
                    errStream,
                    InputStream.nullInputStream(),
                    variables,
                    Clock.systemUTC(),
                    false,
                    project.getBasedir().toPath());
            exit = Main.run(environment, args.toArray(String[]::new));
        }
        String messages = err.toString(StandardCharsets.UTF_8);
        for (String line : messages.split("\n")) {
            if (line.startsWith("palisade: warning")) {
                getLog().warn(line);
            } else if (!line.isBlank() && exit <= 1) {
                getLog().info(line);
            }
        }
        if (exit > 1) {
            String hint = args.contains("--offline")
                    ? " (Maven runs offline, so the database is not downloaded: run once without -o, or set"
                            + " dbMirror to a directory holding the OSV export)"
                    : "";
            throw new MojoExecutionException("Palisade could not scan the dependencies: "
                    + messages.strip().replace("palisade: error: ", "") + hint);
        }
        return new Run(exit, out.toString(StandardCharsets.UTF_8));
    }

    /** The vulnerabilities over the threshold, each with the dependency that brought its package in. */
    private String failureMessage(String jsonReport, List<ResolvedDependency> dependencies)
            throws MojoExecutionException {
        JsonNode report;
        try {
            report = JSON.readTree(jsonReport);
        } catch (IOException e) {
            throw new MojoExecutionException("Palisade's report could not be read: " + e.getMessage(), e);
        }
        Map<String, ResolvedDependency> byPurl = new HashMap<>();
        dependencies.forEach(d -> byPurl.put(d.purl(), d));
        StringBuilder message = new StringBuilder();
        int count = 0;
        for (JsonNode v : report.path("vulnerabilities")) {
            count++;
            JsonNode pkg = v.path("package");
            ResolvedDependency d = byPurl.get(pkg.path("purl").asText());
            message.append("\n  ")
                    .append(v.path("id").asText())
                    .append(' ')
                    .append(v.path("severity").asText())
                    .append(' ')
                    .append(pkg.path("name").asText())
                    .append(' ')
                    .append(pkg.path("version").asText());
            if (d != null) {
                message.append(" (")
                        .append(d.scope())
                        .append(", ")
                        .append(d.describeTrail())
                        .append(')');
            }
        }
        return count + " vulnerabilit" + (count == 1 ? "y" : "ies") + " of severity "
                + failOnSeverity.toUpperCase(Locale.ROOT) + " or higher in the dependencies (reports: " + sarifFile
                + ", " + cycloneDxFile + "):" + message;
    }
}
