package dev.palisade.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.palisade.report.TerminalText;
import dev.palisade.trace.ProfileDiff;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code palisade seccomp diff OLD NEW}: what a new release started to need. */
@Command(
        name = "seccomp",
        footerHeading = "%nExamples:%n",
        footer = {
            "  palisade seccomp diff old.json new.json",
            "  palisade seccomp diff --exit-code 1 baseline.json today.json"
        },
        mixinStandardHelpOptions = true,
        description = "Compare learned profiles.",
        subcommands = {SeccompCommand.Diff.class})
final class SeccompCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a subcommand is required (diff)");
    }

    @Command(
            name = "diff",
            footerHeading = "%nExamples:%n",
            footer = {
                "  palisade seccomp diff old.json new.json",
                "  palisade seccomp diff --exit-code 1 baseline.json today.json"
            },
            mixinStandardHelpOptions = true,
            description = {
                "Shows what NEW needs that OLD did not: system calls, capabilities, writable paths, ports served,"
                        + " destinations (each file a palisade trace profile or a seccomp profile).",
                "Exits with --exit-code when something new appears."
            })
    static final class Diff implements Callable<Integer> {
        private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        private final Environment environment;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Parameters(index = "0", paramLabel = "OLD")
        Path old;

        @Parameters(index = "1", paramLabel = "NEW")
        Path updated;

        @Option(names = "--format", defaultValue = "table", description = "table or json. Default: ${DEFAULT-VALUE}.")
        String format = "table";

        @Option(
                names = "--exit-code",
                defaultValue = "1",
                description = "Exit code when NEW needs something OLD did not. Default: ${DEFAULT-VALUE}.")
        int exitCode = 1;

        Diff(Environment environment) {
            this.environment = environment;
        }

        @Override
        public Integer call() {
            String chosen = format.toLowerCase(Locale.ROOT);
            if (!chosen.equals("table") && !chosen.equals("json")) {
                throw new CommandLine.ParameterException(
                        spec.commandLine(), "unknown format '" + format + "' (table, json)");
            }
            ProfileDiff diff;
            try {
                diff = ProfileDiff.between(ProfileDiff.read(old), ProfileDiff.read(updated));
            } catch (IOException | RuntimeException e) {
                environment
                        .err()
                        .println("palisade: cannot read the profiles: "
                                + TerminalText.escape(String.valueOf(e.getMessage())));
                return PalisadeCommand.EXIT_UNREADABLE;
            }
            PrintStream out = environment.out();
            if (chosen.equals("json")) {
                Map<String, Object> document = new LinkedHashMap<>();
                document.put("new", diff.added());
                document.put("gone", diff.removed());
                try {
                    out.println(JSON.writeValueAsString(document));
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            } else {
                out.printf("%-13s %-7s %s%n", "CATEGORY", "CHANGE", "VALUE");
                table(out, diff.added(), "new");
                table(out, diff.removed(), "gone");
                if (!diff.somethingNew()) {
                    out.println("nothing new");
                }
            }
            out.flush();
            return diff.somethingNew() ? exitCode : PalisadeCommand.EXIT_OK;
        }

        private static void table(PrintStream out, Map<String, List<String>> values, String change) {
            values.forEach((category, list) -> {
                for (String value : list) {
                    out.printf("%-13s %-7s %s%n", category, change, TerminalText.escape(value));
                }
            });
        }
    }
}
