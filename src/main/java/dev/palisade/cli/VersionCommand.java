package dev.palisade.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.palisade.vulndb.sqlite.DatabaseStatus;
import dev.palisade.vulndb.sqlite.DatabaseUpdater;
import dev.palisade.vulndb.sqlite.SqliteVulnerabilityStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

/** {@code palisade version}: the program's version and the vulnerability database it would scan with. */
@Command(
        name = "version",
        footerHeading = "%nExamples:%n",
        footer = {"  palisade version", "  palisade version -f json"},
        mixinStandardHelpOptions = true,
        description = "Print the version, the vulnerability database's build time, its sources and their dates.")
final class VersionCommand implements Callable<Integer> {
    /** Made on first use: creating a Jackson mapper costs about 50 ms of start-up that the table output does not need. */
    private static final class Json {
        static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    }

    private final Environment environment;

    @picocli.CommandLine.Spec
    CommandSpec spec;

    @Option(
            names = {"-f", "--format"},
            paramLabel = "FORMAT",
            defaultValue = "table",
            description = "table or json (default: ${DEFAULT-VALUE}).")
    String format;

    @Mixin
    DatabaseOptions database;

    VersionCommand(Environment environment) {
        this.environment = environment;
    }

    @Override
    public Integer call() {
        Format chosen;
        try {
            chosen = Format.chosen(spec, format);
        } catch (IllegalArgumentException e) {
            environment.err().println("palisade: error: " + e.getMessage());
            return PalisadeCommand.EXIT_UNREADABLE;
        }
        Path file = databaseFile(database, environment);
        Map<String, Object> db;
        try {
            db = databaseDescription(file);
        } catch (IOException e) {
            environment.err().println("palisade: error: vulnerability database " + file + ": " + e.getMessage());
            return PalisadeCommand.EXIT_UNREADABLE;
        }
        if (chosen == Format.JSON) {
            Map<String, Object> document = new LinkedHashMap<>();
            document.put("version", PalisadeCommand.version());
            document.put("database", db);
            environment.out().println(json(document));
        } else {
            environment.out().print(text(PalisadeCommand.version(), db));
        }
        return PalisadeCommand.EXIT_OK;
    }

    /** The two formats of the informational commands ({@code version}, {@code db status}, {@code checks list}). */
    enum Format {
        TABLE,
        JSON;

        /**
         * The format asked for; a value the scanning commands know ({@code sarif}) that came from
         * {@code PALISADE_FORMAT} or the settings file, not from this command line, means the table.
         */
        static Format chosen(CommandSpec spec, String text) {
            try {
                return parse(text);
            } catch (IllegalArgumentException e) {
                if (spec.commandLine().getParseResult().hasMatchedOption("--format")) {
                    throw e;
                }
                return TABLE;
            }
        }

        static Format parse(String text) {
            try {
                return valueOf(text.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("unknown format '" + text + "' (use table or json)");
            }
        }
    }

    static Path databaseFile(DatabaseOptions options, Environment environment) {
        return options.cacheDirectory(environment.variables())
                .resolve(DatabaseUpdater.DATABASE_FILE)
                .toAbsolutePath();
    }

    /**
     * What a database file holds, for the JSON outputs: {@code present} false when there is none yet.
     *
     * @throws IOException when a file is there but cannot be read as a database
     */
    static Map<String, Object> databaseDescription(Path file) throws IOException {
        Map<String, Object> db = new LinkedHashMap<>();
        db.put("path", file.toString());
        if (!Files.isRegularFile(file)) {
            db.put("present", false);
            return db;
        }
        DatabaseStatus status;
        try (SqliteVulnerabilityStore store = SqliteVulnerabilityStore.open(file)) {
            status = store.status();
        }
        db.put("present", true);
        db.put("builtAt", status.meta().get("built_at"));
        db.put("checkedAt", status.meta().get("checked_at"));
        List<Map<String, Object>> sources = new ArrayList<>();
        for (DatabaseStatus.Source s : status.sources()) {
            Map<String, Object> source = new LinkedHashMap<>();
            source.put("name", s.name());
            source.put("location", s.location());
            source.put("fetchedAt", s.fetchedAt());
            source.put("records", s.records());
            source.put("malformed", s.malformed());
            sources.add(source);
        }
        db.put("sources", sources);
        return db;
    }

    static String text(String version, Map<String, Object> db) {
        StringBuilder out = new StringBuilder("palisade " + version + "\n");
        out.append("vulnerability database: ").append(db.get("path"));
        if (!Boolean.TRUE.equals(db.get("present"))) {
            return out.append(" (none yet: run 'palisade db update')\n").toString();
        }
        out.append("\n  built at:   ")
                .append(orUnknown(db.get("builtAt")))
                .append("\n  checked at: ")
                .append(orUnknown(db.get("checkedAt")))
                .append('\n');
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> sources = (List<Map<String, Object>>) db.get("sources");
        for (Map<String, Object> s : sources == null ? List.<Map<String, Object>>of() : sources) {
            out.append(String.format(
                    "  %-14s %8s records  fetched %s from %s%n",
                    s.get("name"), s.get("records"), s.get("fetchedAt"), s.get("location")));
        }
        return out.toString();
    }

    private static String orUnknown(@Nullable Object value) {
        return value == null ? "unknown" : value.toString();
    }

    static String json(Object document) {
        try {
            return Json.MAPPER.writeValueAsString(document);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
