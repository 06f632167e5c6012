package dev.palisade.source.remote;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The hosts of a fleet, read from one of three inventory formats: a plain list of
 * {@code ssh://USER@HOST[:PORT]} addresses (one per line, {@code #} comments), an Ansible INI
 * inventory ({@code [group]}, {@code [group:vars]}, {@code [group:children]}, {@code ansible_host},
 * {@code ansible_port}, {@code ansible_user}, {@code ansible_ssh_private_key_file}), or an Ansible
 * YAML inventory ({@code all: {hosts, vars, children}}). Addresses of the plain list may also appear
 * in an INI file, as hosts of the group they stand under.
 */
public final class FleetInventory {
    private static final String ALL = "all";
    private static final String UNGROUPED = "ungrouped";
    private static final int MAX_HOSTS = 10_000;

    /**
     * One host to scan.
     *
     * @param name how the inventory names it (the Ansible alias, or the address)
     * @param keyFile the private key the inventory names for it, or null for the command line's
     * @param groups the groups it belongs to directly, in inventory order ({@code all} and
     *     {@code ungrouped} left out)
     * @param application the application the inventory gives it ({@code palisade_application}), or null
     */
    public record Host(
            String name,
            SshDestination destination,
            @Nullable Path keyFile,
            List<String> groups,
            @Nullable String application) {
        public Host {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(destination, "destination");
            groups = List.copyOf(groups);
        }
    }

    private final Map<String, Map<String, String>> hostVariables = new LinkedHashMap<>();
    private final Map<String, Set<String>> groupsOfHost = new LinkedHashMap<>();
    private final Map<String, Map<String, String>> groupVariables = new LinkedHashMap<>();
    private final Map<String, Set<String>> parentsOfGroup = new LinkedHashMap<>();

    private FleetInventory() {}

    /**
     * Reads an inventory; throws with a message that names the file and line when it cannot.
     *
     * @param source the file's name, for messages and to recognise {@code .yml}/{@code .yaml}
     * @param defaultUser the user for hosts the inventory gives none ({@code ansible_user})
     * @param home the directory {@code ~} stands for in key file paths
     */
    public static List<Host> parse(String text, String source, String defaultUser, Path home) {
        FleetInventory inventory = new FleetInventory();
        String lower = source.toLowerCase(Locale.ROOT);
        if (lower.endsWith(".yml") || lower.endsWith(".yaml") || looksLikeYaml(text)) {
            inventory.readYaml(text, source);
        } else {
            inventory.readIni(text, source);
        }
        List<Host> hosts = new ArrayList<>();
        for (String name : inventory.hostVariables.keySet()) {
            hosts.add(inventory.resolve(name, source, defaultUser, home));
        }
        if (hosts.isEmpty()) {
            throw new IllegalArgumentException(source + ": no host in the inventory");
        }
        return hosts;
    }

    /** The first significant line of a YAML inventory is {@code all:} or another group as a mapping key. */
    private static boolean looksLikeYaml(String text) {
        for (String raw : text.split("\n", -1)) {
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#") || line.equals("---")) {
                continue;
            }
            return line.matches("[A-Za-z0-9_.-]+:(\\s*(#.*)?)?");
        }
        return false;
    }

    private void readIni(String text, String source) {
        String section = UNGROUPED;
        String kind = "hosts";
        int number = 0;
        for (String raw : text.split("\n", -1)) {
            number++;
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#") || line.startsWith(";")) {
                continue;
            }
            String where = source + ":" + number + ": ";
            if (line.startsWith("[")) {
                if (!line.endsWith("]")) {
                    throw new IllegalArgumentException(where + "a section header ends with ]");
                }
                String header = line.substring(1, line.length() - 1).strip();
                int colon = header.indexOf(':');
                section = colon < 0 ? header : header.substring(0, colon);
                kind = colon < 0 ? "hosts" : header.substring(colon + 1);
                if (!kind.equals("hosts") && !kind.equals("vars") && !kind.equals("children")) {
                    throw new IllegalArgumentException(where + "unknown section kind '" + kind
                            + "' (use [group], [group:vars], [group:children])");
                }
                checkName(section, where);
                groupVariables.computeIfAbsent(section, g -> new LinkedHashMap<>());
                continue;
            }
            switch (kind) {
                case "vars" -> {
                    int equals = line.indexOf('=');
                    if (equals < 1) {
                        throw new IllegalArgumentException(where + "expected NAME=VALUE in [" + section + ":vars]");
                    }
                    groupVariables
                            .computeIfAbsent(section, g -> new LinkedHashMap<>())
                            .put(line.substring(0, equals).strip(), unquote(line.substring(equals + 1)));
                }
                case "children" -> {
                    checkName(line, where);
                    groupVariables.computeIfAbsent(line, g -> new LinkedHashMap<>());
                    parentsOfGroup
                            .computeIfAbsent(line, g -> new LinkedHashSet<>())
                            .add(section);
                }
                default -> readIniHost(line, section, where);
            }
        }
    }

    /** A host line's words as Ansible splits them (like a shell): quotes keep spaces inside a value. */
    static List<String> words(String line) {
        List<String> words = new java.util.ArrayList<>();
        StringBuilder word = new StringBuilder();
        char quote = 0;
        boolean inWord = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quote != 0) {
                word.append(c);
                if (c == quote) {
                    quote = 0;
                }
            } else if (Character.isWhitespace(c)) {
                if (inWord) {
                    words.add(word.toString());
                    word.setLength(0);
                    inWord = false;
                }
            } else {
                if (c == '"' || c == '\'') {
                    quote = c;
                }
                word.append(c);
                inWord = true;
            }
        }
        if (inWord) {
            words.add(word.toString());
        }
        return words;
    }

    private void readIniHost(String line, String group, String where) {
        List<String> words = words(line);
        String name = words.get(0);
        Map<String, String> variables = new LinkedHashMap<>();
        if (name.startsWith("ssh://")) {
            SshDestination destination = destination(name, where);
            variables.put("ansible_host", destination.host());
            variables.put("ansible_port", Integer.toString(destination.port()));
            variables.put("ansible_user", destination.user());
        } else if (name.contains("[") && name.contains(":") && name.contains("]") && !name.startsWith("[")) {
            throw new IllegalArgumentException(
                    where + "host ranges such as " + name + " are not supported: list the hosts one per line");
        }
        for (String word : words.subList(1, words.size())) {
            if (word.startsWith("#")) {
                break;
            }
            int equals = word.indexOf('=');
            if (equals < 1) {
                // the word is not repeated: it may be a piece of a password
                throw new IllegalArgumentException(where + "expected NAME=VALUE after the host name");
            }
            variables.put(word.substring(0, equals), unquote(word.substring(equals + 1)));
        }
        addHost(name, group, variables, where);
    }

    private void readYaml(String text, String source) {
        JsonNode root;
        try {
            root = new ObjectMapper(new YAMLFactory()).readTree(text);
        } catch (IOException e) {
            throw new IllegalArgumentException(source + ": not a YAML inventory: " + firstLine(e.getMessage()));
        }
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException(source + ": a YAML inventory is a mapping of groups (all: ...)");
        }
        var groups = root.fields();
        while (groups.hasNext()) {
            var group = groups.next();
            readYamlGroup(group.getKey(), group.getValue(), source, new HashSet<>());
        }
    }

    private void readYamlGroup(String group, JsonNode body, String source, Set<String> seen) {
        String where = source + ": group " + group + ": ";
        checkName(group, where);
        groupVariables.computeIfAbsent(group, g -> new LinkedHashMap<>());
        if (!seen.add(group) || body == null || body.isNull()) {
            return;
        }
        if (!body.isObject()) {
            throw new IllegalArgumentException(where + "expected hosts, vars or children");
        }
        var hosts = body.path("hosts").fields();
        while (hosts.hasNext()) {
            var host = hosts.next();
            addHost(host.getKey(), group, scalars(host.getValue(), where), where);
        }
        groupVariables.computeIfAbsent(group, g -> new LinkedHashMap<>()).putAll(scalars(body.path("vars"), where));
        var children = body.path("children").fields();
        while (children.hasNext()) {
            var child = children.next();
            parentsOfGroup
                    .computeIfAbsent(child.getKey(), g -> new LinkedHashSet<>())
                    .add(group);
            readYamlGroup(child.getKey(), child.getValue(), source, seen);
        }
    }

    private static Map<String, String> scalars(JsonNode node, String where) {
        Map<String, String> values = new LinkedHashMap<>();
        if (node == null || node.isNull() || node.isMissingNode()) {
            return values;
        }
        if (!node.isObject()) {
            throw new IllegalArgumentException(where + "expected NAME: VALUE pairs");
        }
        var fields = node.fields();
        while (fields.hasNext()) {
            var field = fields.next();
            if (field.getValue().isValueNode()) {
                values.put(field.getKey(), field.getValue().asText());
            }
        }
        return values;
    }

    private void addHost(String name, String group, Map<String, String> variables, String where) {
        if (!hostVariables.containsKey(name) && hostVariables.size() == MAX_HOSTS) {
            throw new IllegalArgumentException(where + "more than " + MAX_HOSTS + " hosts");
        }
        hostVariables.computeIfAbsent(name, h -> new LinkedHashMap<>()).putAll(variables);
        Set<String> groups = groupsOfHost.computeIfAbsent(name, h -> new LinkedHashSet<>());
        if (!group.equals(ALL) && !group.equals(UNGROUPED)) {
            groups.add(group);
        }
    }

    /**
     * A host's variables as Ansible layers them: {@code all}, then its groups from the farthest
     * ancestor to the groups it is in, then its own.
     */
    private Host resolve(String name, String source, String defaultUser, Path home) {
        List<String> direct = List.copyOf(groupsOfHost.getOrDefault(name, Set.of()));
        List<String> nearestFirst = new ArrayList<>();
        Deque<String> queue = new ArrayDeque<>(direct);
        Set<String> seen = new HashSet<>();
        while (!queue.isEmpty()) {
            String group = queue.removeFirst();
            if (group.equals(ALL) || !seen.add(group)) {
                continue;
            }
            nearestFirst.add(group);
            queue.addAll(parentsOfGroup.getOrDefault(group, Set.of()));
        }
        Map<String, String> variables = new LinkedHashMap<>(groupVariables.getOrDefault(ALL, Map.of()));
        for (int i = nearestFirst.size() - 1; i >= 0; i--) {
            variables.putAll(groupVariables.getOrDefault(nearestFirst.get(i), Map.of()));
        }
        variables.putAll(hostVariables.getOrDefault(name, Map.of()));
        String where = source + ": host " + name + ": ";
        String host = variables.getOrDefault("ansible_host", name);
        String user = variables.getOrDefault("ansible_user", defaultUser);
        int port;
        try {
            port = Integer.parseInt(
                    variables.getOrDefault("ansible_port", Integer.toString(SshDestination.DEFAULT_PORT)));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(
                    where + "ansible_port is not a number: " + variables.get("ansible_port"));
        }
        if (!variables.containsKey("ansible_port") && !variables.containsKey("ansible_host")) {
            // Ansible's HOST:PORT alias form
            int colon = host.lastIndexOf(':');
            if (colon > 0
                    && host.indexOf(':') == colon
                    && host.substring(colon + 1).matches("[0-9]{1,5}")) {
                port = Integer.parseInt(host.substring(colon + 1));
                host = host.substring(0, colon);
            }
        }
        String shownHost = host.contains(":") ? "[" + host + "]" : host;
        SshDestination destination = destination("ssh://" + user + "@" + shownHost + ":" + port, where);
        String key = variables.getOrDefault("ansible_ssh_private_key_file", variables.get("ansible_private_key_file"));
        Path keyFile = null;
        if (key != null && !key.isBlank()) {
            keyFile = key.equals("~") ? home : key.startsWith("~/") ? home.resolve(key.substring(2)) : Path.of(key);
        }
        String application = variables.get("palisade_application");
        return new Host(name, destination, keyFile, direct, application);
    }

    private static SshDestination destination(String address, String where) {
        try {
            return SshDestination.parse(address);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(where + e.getMessage());
        }
    }

    private static void checkName(String group, String where) {
        if (!group.matches("[A-Za-z0-9_.-]+")) {
            throw new IllegalArgumentException(where + "'" + group + "' is not a group name");
        }
    }

    private static String unquote(String value) {
        String v = value.strip();
        if (v.length() >= 2 && ((v.startsWith("\"") && v.endsWith("\"")) || (v.startsWith("'") && v.endsWith("'")))) {
            return v.substring(1, v.length() - 1);
        }
        return v;
    }

    private static String firstLine(@Nullable String message) {
        String m = String.valueOf(message);
        int newline = m.indexOf('\n');
        return newline < 0 ? m : m.substring(0, newline);
    }
}
