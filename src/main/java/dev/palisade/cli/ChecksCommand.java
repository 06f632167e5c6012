package dev.palisade.cli;

import dev.palisade.checks.CheckCatalog;
import dev.palisade.checks.CheckMetadata;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;

/** {@code palisade checks list}: every check with its id, severity, models and references. */
@Command(
        name = "checks",
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

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List every check.")
    static final class ListChecks implements Callable<Integer> {
        @picocli.CommandLine.Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            var out = spec.commandLine().getOut();
            out.printf("%-9s %-9s %-19s %-48s %s%n", "ID", "SEVERITY", "MODELS", "TITLE", "REFERENCES");
            for (CheckMetadata c : CheckCatalog.load().all()) {
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
