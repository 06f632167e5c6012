package dev.palisade.cli;

import dev.palisade.checks.CheckCatalog;
import dev.palisade.checks.CheckMetadata;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;

/** {@code palisade checks list}: every check with its id, severity, models and references. */
@Command(
        name = "checks",
        footerHeading = "%nExamples:%n",
        footer = {"  palisade checks list", "  palisade checks list -f json"},
        mixinStandardHelpOptions = true,
        description = "The configuration checks Palisade runs.",
        subcommands = {ChecksCommand.ListChecks.class})
final class ChecksCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(), "a subcommand is required (list)");
    }

    @Command(
            name = "list",
            footerHeading = "%nExamples:%n",
            footer = {
                "  palisade checks list",
                "  palisade checks list -f json",
                "  palisade checks list --benchmark cis-level1"
            },
            mixinStandardHelpOptions = true,
            description = "List every check, or with --benchmark the checks of one benchmark profile.")
    static final class ListChecks implements Callable<Integer> {
        private final Environment environment;

        @picocli.CommandLine.Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @picocli.CommandLine.Option(
                names = {"-f", "--format"},
                paramLabel = "FORMAT",
                defaultValue = "table",
                description = "table or json (default: ${DEFAULT-VALUE}).")
        String format;

        @picocli.CommandLine.Option(
                names = "--benchmark",
                paramLabel = "PROFILE",
                description = "Only the checks of this benchmark profile (cis-level1, cis-level2).")
        @org.jspecify.annotations.Nullable
        String benchmark;

        ListChecks(Environment environment) {
            this.environment = environment;
        }

        @Override
        public Integer call() {
            VersionCommand.Format chosen;
            try {
                chosen = VersionCommand.Format.chosen(spec, format);
            } catch (IllegalArgumentException e) {
                environment.err().println("palisade: error: " + e.getMessage());
                return PalisadeCommand.EXIT_UNREADABLE;
            }
            var out = spec.commandLine().getOut();
            CheckCatalog catalog = CheckCatalog.load();
            CheckCatalog.Benchmark profile = null;
            java.util.Collection<CheckMetadata> listed = catalog.all();
            if (benchmark != null) {
                try {
                    profile = catalog.benchmark(benchmark);
                } catch (IllegalArgumentException e) {
                    environment.err().println("palisade: error: " + e.getMessage());
                    return PalisadeCommand.EXIT_UNREADABLE;
                }
                listed = catalog.checksOf(profile);
            }
            if (chosen == VersionCommand.Format.JSON) {
                List<Map<String, Object>> checks = new ArrayList<>();
                for (CheckMetadata c : listed) {
                    Map<String, Object> check = new LinkedHashMap<>();
                    check.put("id", c.id());
                    check.put("title", c.title());
                    check.put("severity", c.severity().name());
                    check.put(
                            "models",
                            c.models().stream()
                                    .map(m -> m.name().toLowerCase(Locale.ROOT))
                                    .sorted()
                                    .toList());
                    check.put("why", c.why());
                    check.put("fix", c.fix());
                    check.put("references", c.references());
                    check.put("benchmarks", c.benchmarks().stream().sorted().toList());
                    checks.add(check);
                }
                Map<String, Object> document = new LinkedHashMap<>();
                if (profile != null) {
                    Map<String, Object> named = new LinkedHashMap<>();
                    named.put("id", profile.id());
                    named.put("title", profile.title());
                    document.put("benchmark", named);
                }
                document.put("checks", checks);
                out.println(VersionCommand.json(document));
                out.flush();
                return PalisadeCommand.EXIT_OK;
            }
            if (profile != null) {
                out.println("Benchmark: " + profile.id() + " (" + profile.title() + "), " + listed.size() + " checks");
            }
            out.printf("%-9s %-9s %-19s %-48s %s%n", "ID", "SEVERITY", "MODELS", "TITLE", "REFERENCES");
            for (CheckMetadata c : listed) {
                String models = c.models().stream()
                        .map(m -> m.name().toLowerCase(Locale.ROOT))
                        .sorted()
                        .collect(Collectors.joining(","));
                out.printf(
                        "%-9s %-9s %-19s %-48s %s%n",
                        c.id(), c.severity(), models, c.title(), String.join("; ", c.references()));
            }
            out.flush();
            return PalisadeCommand.EXIT_OK;
        }
    }
}
