package dev.palisade.assess;

import com.fasterxml.jackson.databind.JsonNode;
import dev.palisade.source.ArtifactDescription;
import dev.palisade.source.FileAccess;
import dev.palisade.source.FileEntry;
import dev.palisade.source.LimitedInputStream;
import dev.palisade.source.StructuredText;
import dev.palisade.source.directory.DiskFiles;
import dev.palisade.source.image.ImageMetadata;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.jspecify.annotations.Nullable;

/**
 * Reads the {@link Evidence} of an artifact: a few small configuration files, bounded, through the
 * same confined access the checks use. It never runs anything and never follows a link out of the root.
 */
public final class EvidenceReader {
    private static final long MAX_FILE = 1024 * 1024;
    private static final int MAX_ZIP_ENTRIES = 200_000;
    /** A key naming where the application writes: its last segment is dir, directory, path or file(.name). */
    private static final Pattern WRITE_KEY = Pattern.compile("(?i).*\\.(dir|directory|path|file|file\\.name)");

    private final Map<String, List<Integer>> networkServices;

    public EvidenceReader() {
        this.networkServices = dev.palisade.checks.NetworkServices.defaultPorts();
    }

    /** A VM's root file system: services enabled at boot, their ports, kernel modules. */
    public Evidence rootFilesystem(Path root) throws IOException {
        DiskFiles files = DiskFiles.of(root);
        Map<String, Evidence.Service> services = new LinkedHashMap<>();
        for (FileEntry dir : files.children("etc/systemd/system")) {
            if (!dir.name().endsWith(".wants")) {
                continue;
            }
            for (FileEntry unit : files.children(dir.path())) {
                String name = unit.name();
                if (name.endsWith(".service") || name.endsWith(".socket")) {
                    String service =
                            name.replaceFirst("\\.(service|socket)$", "").replaceFirst("@$", "");
                    boolean oneshot = name.endsWith(".service") && oneshot(files, name);
                    services.putIfAbsent(service, service(service, !oneshot, unit.path()));
                }
            }
        }
        for (int level = 2; level <= 5; level++) {
            for (FileEntry link : files.children("etc/rc" + level + ".d")) {
                if (link.name().matches("S\\d*.+")) {
                    String service = link.name().replaceFirst("^S\\d*", "");
                    services.putIfAbsent(service, service(service, true, link.path()));
                }
            }
        }
        read(files, "etc/inetd.conf").ifPresent(text -> text.lines()
                .map(String::strip)
                .filter(l -> !l.isEmpty() && !l.startsWith("#"))
                .forEach(l -> {
                    String service = l.split("\\s+")[0].replaceFirst("^.*:", "");
                    services.putIfAbsent(service, service(service, false, "etc/inetd.conf"));
                }));
        for (FileEntry file : files.children("etc/xinetd.d")) {
            read(files, file.path())
                    .filter(t -> !t.matches("(?s).*\\bdisable\\s*=\\s*yes\\b.*"))
                    .ifPresent(t -> services.putIfAbsent(file.name(), service(file.name(), false, file.path())));
        }
        List<Evidence.Observation> ports = new ArrayList<>();
        for (Evidence.Service s : services.values()) {
            s.ports()
                    .forEach(p ->
                            ports.add(new Evidence.Observation(String.valueOf(p), s.source() + " (" + s.name() + ")")));
        }
        List<Evidence.Observation> modules = new ArrayList<>();
        moduleLines(files, "etc/modules", modules);
        for (FileEntry conf : files.children("etc/modules-load.d")) {
            if (conf.name().endsWith(".conf")) {
                moduleLines(files, conf.path(), modules);
            }
        }
        return new Evidence(List.copyOf(services.values()), ports, modules, List.of(), null, null, null, null, null);
    }

    /** An image: its EXPOSE ports, its VOLUMEs outside /tmp, its user. */
    public Evidence image(ArtifactDescription artifact) {
        ImageMetadata image = artifact.image();
        if (image == null) {
            return Evidence.unknown();
        }
        List<Evidence.Observation> ports = new ArrayList<>();
        for (String exposed : image.exposedPorts()) {
            ports.add(
                    new Evidence.Observation(exposed.replaceFirst("/.*$", ""), "image config ExposedPorts " + exposed));
        }
        List<Evidence.Observation> writes = new ArrayList<>();
        for (String volume : image.volumes()) {
            if (!underTmp(volume)) {
                writes.add(new Evidence.Observation(volume, "image config Volumes " + volume));
            }
        }
        String user = image.user().strip();
        boolean root = user.isEmpty()
                || user.equals("root")
                || user.equals("0")
                || user.startsWith("0:")
                || user.startsWith("root:");
        Evidence.Observation runsAsRoot = new Evidence.Observation(
                String.valueOf(root), "image config User " + (user.isEmpty() ? "(not set: root)" : user));
        return new Evidence(null, ports, null, writes, null, null, null, null, runsAsRoot);
    }

    /** A function package (zip or directory) and its template: sizes, configured ports and paths, runtime. */
    public Evidence function(Path pkg, @Nullable Path template) throws IOException {
        List<Evidence.Observation> ports = new ArrayList<>();
        List<Evidence.Observation> writes = new ArrayList<>();
        Long zipped = null;
        Long unzipped = 0L;
        if (Files.isDirectory(pkg)) {
            try (var walk = Files.walk(pkg)) {
                for (Path file : (Iterable<Path>) walk::iterator) {
                    if (Files.isRegularFile(file, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                        unzipped += Files.size(file);
                        String name = pkg.relativize(file).toString();
                        if (name.endsWith(".properties") && Files.size(file) <= MAX_FILE) {
                            properties(Files.readAllBytes(file), name, ports, writes);
                        }
                    }
                }
            }
        } else {
            zipped = Files.size(pkg);
            try (ZipFile zip = new ZipFile(pkg.toFile())) {
                int count = 0;
                for (Enumeration<? extends ZipEntry> entries = zip.entries(); entries.hasMoreElements(); ) {
                    ZipEntry entry = entries.nextElement();
                    if (++count > MAX_ZIP_ENTRIES) {
                        throw new IOException(pkg + ": more than " + MAX_ZIP_ENTRIES + " entries");
                    }
                    if (unzipped != null) {
                        unzipped = entry.getSize() < 0 ? null : unzipped + entry.getSize();
                    }
                    if (!entry.isDirectory() && entry.getName().endsWith(".properties")) {
                        try (InputStream in = zip.getInputStream(entry)) {
                            properties(
                                    LimitedInputStream.readAll(in, MAX_FILE, entry.getName()),
                                    entry.getName(),
                                    ports,
                                    writes);
                        }
                    }
                }
            }
        }
        Evidence.Observation runtime = template == null ? null : runtime(template);
        return new Evidence(null, ports, null, writes, null, runtime, zipped, unzipped, null);
    }

    private static void properties(
            byte[] bytes, String file, List<Evidence.Observation> ports, List<Evidence.Observation> writes)
            throws IOException {
        Properties properties = new Properties();
        properties.load(new StringReader(new String(bytes, StandardCharsets.UTF_8)));
        for (String key : new TreeMap<>(toMap(properties)).keySet()) {
            String value = properties.getProperty(key, "").strip();
            if (namesAListeningPort(key) && value.matches("\\d{1,5}")) {
                ports.add(new Evidence.Observation(value, file + ": " + key + "=" + value));
            } else if (WRITE_KEY.matcher(key).matches() && value.startsWith("/") && !underTmp(value)) {
                writes.add(new Evidence.Observation(value, file + ": " + key + "=" + value));
            }
        }
    }

    /**
     * A key naming a listening port: its last segment is "port" and an earlier one "server" or "listen", in either
     * case ({@code server.port}, {@code management.server.port}, {@code listen.http.port}). Read segment by segment:
     * the regular expression {@code (.*\.)?(server|listen)(\..*)?\.port} it replaces took minutes on a key of
     * repeated {@code server.} segments (the artifact's own properties file).
     */
    static boolean namesAListeningPort(String key) {
        if (key.chars().anyMatch(EvidenceReader::isLineTerminator)) {
            return false; // as the expression's "." never matched one
        }
        String[] segments = key.split("\\.", -1);
        if (segments.length < 2
                || !segments[segments.length - 1].toLowerCase(Locale.ROOT).equals("port")) {
            return false;
        }
        for (int i = 0; i < segments.length - 1; i++) {
            String segment = segments[i].toLowerCase(Locale.ROOT);
            if (segment.equals("server") || segment.equals("listen")) {
                return true;
            }
        }
        return false;
    }

    private static boolean isLineTerminator(int c) {
        return c == '\n' || c == '\r' || c == '\u0085' || c == '\u2028' || c == '\u2029';
    }

    private static Map<String, String> toMap(Properties properties) {
        Map<String, String> map = new TreeMap<>();
        properties.stringPropertyNames().forEach(k -> map.put(k, properties.getProperty(k)));
        return map;
    }

    /** The runtime of the template's functions (SAM/CloudFormation, or serverless.yml's provider). */
    private static Evidence.@Nullable Observation runtime(Path template) throws IOException {
        byte[] bytes;
        try (InputStream in = Files.newInputStream(template)) {
            bytes = LimitedInputStream.readAll(in, MAX_FILE, template.toString());
        }
        JsonNode document = StructuredText.yaml(bytes);
        String name = template.getFileName() == null
                ? template.toString()
                : template.getFileName().toString();
        String global =
                document.path("Globals").path("Function").path("Runtime").asText("");
        for (var it = document.path("Resources").fields(); it.hasNext(); ) {
            var resource = it.next();
            String type = resource.getValue().path("Type").asText("");
            if (type.equals("AWS::Serverless::Function") || type.equals("AWS::Lambda::Function")) {
                String runtime =
                        resource.getValue().path("Properties").path("Runtime").asText(global);
                if (!runtime.isEmpty()) {
                    String at = resource.getValue().path("Properties").has("Runtime")
                            ? "Resources." + resource.getKey() + ".Properties.Runtime"
                            : "Globals.Function.Runtime";
                    return new Evidence.Observation(runtime, name + ": " + at);
                }
            }
        }
        String serverless = document.path("provider").path("runtime").asText("");
        return serverless.isEmpty() ? null : new Evidence.Observation(serverless, name + ": provider.runtime");
    }

    private Evidence.Service service(String name, boolean daemon, String source) {
        return new Evidence.Service(
                name, networkServices.getOrDefault(name.toLowerCase(Locale.ROOT), List.of()), daemon, source);
    }

    private static boolean oneshot(FileAccess files, String unit) {
        for (String dir : List.of("etc/systemd/system/", "lib/systemd/system/", "usr/lib/systemd/system/")) {
            Optional<String> text = read(files, dir + unit);
            if (text.isPresent()) {
                return text.get().lines().map(String::strip).anyMatch(l -> l.matches("Type\\s*=\\s*oneshot"));
            }
        }
        return false;
    }

    private static void moduleLines(FileAccess files, String path, List<Evidence.Observation> modules) {
        read(files, path).ifPresent(text -> text.lines()
                .map(l -> l.replaceFirst("[#;].*$", "").strip())
                .filter(l -> !l.isEmpty())
                .forEach(l -> modules.add(new Evidence.Observation(l.split("\\s+")[0], path))));
    }

    /** A small regular file of the root; links are not followed (a link could lead out of the root). */
    private static Optional<String> read(FileAccess files, String path) {
        Optional<FileEntry> entry = files.entry(path).filter(FileEntry::isRegularFile);
        if (entry.isEmpty()) {
            return Optional.empty();
        }
        try (InputStream in = files.open(entry.get())) {
            return Optional.of(new String(LimitedInputStream.readAll(in, MAX_FILE, path), StandardCharsets.UTF_8));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static boolean underTmp(String path) {
        String p = path.strip();
        return p.equals("/tmp") || p.startsWith("/tmp/");
    }
}
