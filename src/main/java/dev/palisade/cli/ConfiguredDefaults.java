package dev.palisade.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.palisade.source.LimitedInputStream;
import dev.palisade.source.StructuredText;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Option values the command line leaves out, from the environment ({@code PALISADE_SEVERITY} for
 * {@code --severity}) and then from a configuration file ({@code palisade.yaml}): a flag on the command
 * line wins over the environment, which wins over the file, which wins over the built-in default.
 *
 * <p>The file's keys are the long option names without their dashes. Top-level keys apply to every
 * command that has the option; a key naming a command holds settings for that command only, and these
 * win over the top-level ones:
 * <pre>
 * severity: [HIGH, CRITICAL]
 * ignore-unfixed: true
 * image:
 *   platform: linux/arm64
 * db:
 *   status:
 *     format: json
 * </pre>
 */
final class ConfiguredDefaults implements CommandLine.IDefaultValueProvider {
    static final String CONFIG_VARIABLE = "PALISADE_CONFIG";
    static final String DEFAULT_CONFIG_FILE = "palisade.yaml";
    private static final long MAX_CONFIG_BYTES = 1024 * 1024;
    /** Options that say how to read the command line itself, never taken from elsewhere. */
    private static final Set<String> NOT_CONFIGURABLE = Set.of("help", "version", "config");

    private final Map<String, String> variables;
    private final @Nullable JsonNode config;
    private final String configName;

    private ConfiguredDefaults(Map<String, String> variables, @Nullable JsonNode config, String configName) {
        this.variables = variables;
        this.config = config;
        this.configName = configName;
    }

    /**
     * The defaults for one run: {@code --config FILE} (or {@code $PALISADE_CONFIG}) must exist; without
     * either, {@code palisade.yaml} in the working directory is read when it is there.
     *
     * @throws IOException when the named file is missing, is not YAML, or holds a key no command knows
     */
    static ConfiguredDefaults load(Environment environment, String[] args, CommandSpec root) throws IOException {
        Optional<String> named = configArgument(args);
        if (named.isEmpty() && environment.variables().get(CONFIG_VARIABLE) != null) {
            named = Optional.of(environment.variables().get(CONFIG_VARIABLE));
        }
        Path file;
        if (named.isPresent()) {
            file = environment.workingDirectory().resolve(named.get());
            if (!Files.isRegularFile(file)) {
                throw new IOException("--config: " + named.get() + ": no such file");
            }
        } else {
            file = environment.workingDirectory().resolve(DEFAULT_CONFIG_FILE);
            if (!Files.isRegularFile(file)) {
                return new ConfiguredDefaults(environment.variables(), null, "");
            }
        }
        String name = named.orElse(DEFAULT_CONFIG_FILE);
        JsonNode config;
        try (InputStream in = Files.newInputStream(file)) {
            config = StructuredText.yaml(LimitedInputStream.readAll(in, MAX_CONFIG_BYTES, name));
        } catch (IOException e) {
            throw new IOException(name + ": " + e.getMessage(), e);
        }
        if (config.isMissingNode() || config.isNull()) {
            return new ConfiguredDefaults(environment.variables(), null, name);
        }
        if (!config.isObject()) {
            throw new IOException(name + ": expected settings (key: value), one per line");
        }
        check(config, root, name, "");
        return new ConfiguredDefaults(environment.variables(), config, name);
    }

    /** Which file the settings came from, empty when none was read. */
    String configName() {
        return configName;
    }

    @Override
    public @Nullable String defaultValue(ArgSpec argument) {
        if (!(argument instanceof OptionSpec option)) {
            return null;
        }
        String key = key(option);
        if (NOT_CONFIGURABLE.contains(key)) {
            return null;
        }
        String variable = variables.get(variableName(key));
        if (variable != null && !variable.isBlank()) {
            return variable; // set but empty is unset, as Trivy reads its variables: CI templates often leave them so
        }
        if (config == null || option.command() == null) {
            return null;
        }
        List<String> path = commandPath(option.command());
        for (int depth = path.size(); depth >= 0; depth--) {
            JsonNode section = config;
            for (String command : path.subList(0, depth)) {
                section = section.path(command);
            }
            JsonNode value = section.path(key);
            if (!value.isMissingNode()
                    && !value.isNull()
                    && !value.isObject()
                    && !text(value).isBlank()) {
                return text(value);
            }
        }
        return null;
    }

    /** {@code --max-file-size} is set by {@code PALISADE_MAX_FILE_SIZE}. */
    static String variableName(String key) {
        return "PALISADE_" + key.toUpperCase(Locale.ROOT).replace('-', '_');
    }

    private static String key(OptionSpec option) {
        return option.longestName().replaceFirst("^-+", "");
    }

    private static String text(JsonNode value) {
        if (value.isArray()) {
            List<String> items = new ArrayList<>();
            value.forEach(item -> items.add(item.asText()));
            return String.join(",", items);
        }
        return value.asText();
    }

    /** The subcommand names below the top-level command: [db, status] for {@code palisade db status}. */
    private static List<String> commandPath(CommandSpec command) {
        List<String> path = new ArrayList<>();
        for (CommandSpec c = command; c.parent() != null; c = c.parent()) {
            path.add(0, c.name());
        }
        return path;
    }

    /** Every key must name an option of this command or one below it, or (holding settings) a subcommand. */
    private static void check(JsonNode section, CommandSpec command, String file, String where) throws IOException {
        Set<String> options = new HashSet<>();
        collectOptions(command, options);
        for (var field : (Iterable<Map.Entry<String, JsonNode>>) section::fields) {
            String key = field.getKey();
            JsonNode value = field.getValue();
            CommandLine sub = command.subcommands().get(key);
            if (value.isObject() && sub != null) {
                check(value, sub.getCommandSpec(), file, where + key + ".");
            } else if (value.isObject()) {
                throw new IOException(file + ": '" + where + key + "' is not a command (settings are key: value)");
            } else if (!options.contains(key) || NOT_CONFIGURABLE.contains(key)) {
                throw new IOException(file + ": unknown setting '" + where + key
                        + "' (settings are long option names without the dashes, e.g. severity, ignore-unfixed)");
            }
        }
    }

    private static void collectOptions(CommandSpec command, Set<String> into) {
        for (OptionSpec option : command.options()) {
            into.add(key(option));
        }
        for (CommandLine sub : command.subcommands().values()) {
            collectOptions(sub.getCommandSpec(), into);
        }
    }

    /** {@code --config FILE}, {@code --config=FILE} or {@code -c FILE} before the end of the options. */
    static Optional<String> configArgument(String[] args) {
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg.equals("--")) {
                break;
            }
            if ((arg.equals("--config") || arg.equals("-c")) && i + 1 < args.length) {
                return Optional.of(args[i + 1]);
            }
            if (arg.startsWith("--config=")) {
                return Optional.of(arg.substring("--config=".length()));
            }
        }
        return Optional.empty();
    }
}
