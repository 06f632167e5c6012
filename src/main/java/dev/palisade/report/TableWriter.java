package dev.palisade.report;

import dev.palisade.checks.Misconfiguration;
import dev.palisade.inventory.Inventory;
import dev.palisade.inventory.Location;
import dev.palisade.inventory.Package;
import dev.palisade.match.Finding;
import dev.palisade.match.PatchAge;
import dev.palisade.match.PatchPlan;
import dev.palisade.match.Severity;
import dev.palisade.source.ArtifactDescription;
import dev.palisade.source.Layer;
import dev.palisade.source.Problem;
import dev.palisade.source.host.ListeningSockets;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * A readable table for people at a terminal: the artifact, then the vulnerabilities (or, without a
 * vulnerability scan, the packages) grouped by the layer that brought them in.
 */
public final class TableWriter implements ReportWriter {
    private static final String SEPARATOR = "  ";
    /** Narrowest a column is squeezed to, when its header is not longer. */
    private static final int MIN_COLUMN = 8;

    private static final String RESET = "\033[0m";

    /**
     * How the table is laid out for where it goes.
     *
     * @param width the columns a line may take, 0 for no limit (a file, a pipe)
     * @param colour severities in colour (a terminal that did not ask for {@code NO_COLOR})
     */
    public record Style(int width, boolean colour) {
        public static final Style PLAIN = new Style(0, false);

        public Style {
            if (width < 0) {
                throw new IllegalArgumentException("width must not be negative: " + width);
            }
        }
    }

    private final boolean listPackages;
    private final Style style;
    private final boolean patchPlan;

    /** @param listPackages list the packages too when vulnerabilities were scanned */
    public TableWriter(boolean listPackages) {
        this(listPackages, Style.PLAIN, false);
    }

    /** @param patchPlan add the patch plan of the OS packages (when vulnerabilities were scanned) */
    public TableWriter(boolean listPackages, Style style, boolean patchPlan) {
        this.listPackages = listPackages;
        this.style = style;
        this.patchPlan = patchPlan;
    }

    @Override
    public String format() {
        return "table";
    }

    @Override
    public void write(ScanReport report, OutputStream out) throws IOException {
        Inventory inventory = report.inventory();
        ArtifactDescription artifact = inventory.artifact();
        PrintWriter w = new PrintWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8));
        w.println(TerminalText.escape(artifact.name()) + " ("
                + lower(artifact.kind().name()) + ", " + lower(artifact.model().name()) + ")");
        inventory
                .osRelease()
                .ifPresent(os -> w.println("OS: "
                        + TerminalText.escape(
                                os.prettyName() != null && !os.prettyName().isBlank()
                                        ? os.prettyName()
                                        : os.id() + " " + os.versionId())));
        Map<String, Integer> byEcosystem = new TreeMap<>();
        inventory.packages().forEach(p -> byEcosystem.merge(p.ecosystem().purlType(), 1, Integer::sum));
        w.println("Packages: " + inventory.packages().size() + (byEcosystem.isEmpty() ? "" : " " + byEcosystem));
        if (report.findings().isPresent()) {
            writeFindings(w, artifact, report.findings().get(), report);
            writeMissingData(w, report.missingData());
            if (patchPlan) {
                writePatchPlan(w, PatchPlan.of(report.findings().get(), inventory.packages(), inventory.os()));
            }
            if (!report.suppressed().isEmpty()) {
                w.println();
                w.println("Suppressed: " + report.suppressed().size() + " (reasons in --format json)");
            }
        }
        report.misconfigurationsOptional().ifPresent(found -> writeMisconfigurations(w, found));
        if ((report.findings().isEmpty() && report.misconfigurationsOptional().isEmpty()) || listPackages) {
            writePackages(w, artifact, inventory);
        }
        if (!report.listeningSockets().isEmpty()) {
            writeSockets(w, report.listeningSockets());
        }
        List<Problem> problems = report.allProblems();
        if (!problems.isEmpty()) {
            w.println();
            w.println("Not read (" + problems.size() + "):");
            for (Problem problem : problems) {
                w.println("  " + TerminalText.escape(problem.toString()));
            }
        }
        w.flush();
    }

    private void writeFindings(PrintWriter w, ArtifactDescription artifact, List<Finding> findings, ScanReport report) {
        Map<Severity, Integer> counts = new java.util.EnumMap<>(Severity.class);
        findings.forEach(f -> counts.merge(f.severity(), 1, Integer::sum));
        long kev = findings.stream().filter(f -> f.kev() != null).count();
        long overdue = findings.stream()
                .filter(f -> report.patchAge(f).map(PatchAge::overdue).orElse(false))
                .count();
        w.println("Vulnerabilities: " + findings.size() + (counts.isEmpty() ? "" : " " + counts)
                + (kev > 0 ? ", " + kev + " known exploited (CISA KEV)" : "")
                + (overdue > 0 ? ", " + overdue + " with a fix overdue" : ""));
        Map<String, List<Finding>> byLayer = new java.util.LinkedHashMap<>();
        List<Finding> ordered = new ArrayList<>(findings);
        for (Finding f : ordered) {
            Location l = f.pkg().locations().isEmpty()
                    ? Location.of("")
                    : f.pkg().locations().get(0);
            byLayer.computeIfAbsent(layerTitle(artifact, l), k -> new ArrayList<>())
                    .add(f);
        }
        for (Map.Entry<String, List<Finding>> group : new TreeMap<>(byLayer).entrySet()) {
            w.println();
            if (!group.getKey().isEmpty()) {
                w.println(group.getKey());
            }
            List<String[]> rows = new ArrayList<>();
            rows.add(new String[] {
                "PACKAGE", "INSTALLED", "VULNERABILITY", "SEVERITY", "KEV", "FIXED IN", "LOCATION", "TITLE"
            });
            for (Finding f : group.getValue()) {
                String fixed = f.status() == Finding.Status.NOT_COMPARED
                        ? "not compared"
                        : f.nearestFix() != null ? f.nearestFix() + fixAge(report, f) : "no fix yet";
                rows.add(new String[] {
                    f.pkg().name(),
                    f.pkg().version(),
                    f.id(),
                    f.severity().name() + (f.cvss() != null ? " " + f.cvss().baseScore() : ""),
                    f.kev() != null ? "yes" : "",
                    fixed,
                    f.pkg().locations().isEmpty()
                            ? ""
                            : f.pkg().locations().get(0).path(),
                    f.title()
                });
            }
            printRows(w, rows);
        }
    }

    /** " (412 days, overdue)": how long the fix has been out, when the advisory says. */
    private static String fixAge(ScanReport report, Finding f) {
        return report.patchAge(f)
                .map(age ->
                        " (" + age.days() + (age.days() == 1 ? " day" : " days") + (age.overdue() ? ", overdue)" : ")"))
                .orElse("");
    }

    /** Ecosystems the database has no data for: their packages were not checked, which is not "no vulnerabilities". */
    private static void writeMissingData(PrintWriter w, List<String> missing) {
        if (!missing.isEmpty()) {
            w.println();
            w.println("Not checked for vulnerabilities (no advisory data in the database): "
                    + TerminalText.escape(String.join(", ", missing)));
        }
    }

    private void writePatchPlan(PrintWriter w, PatchPlan plan) {
        w.println();
        w.println("Patch plan: " + plan.packages().size() + " packages to upgrade (" + plan.manager() + ")");
        if (!plan.packages().isEmpty()) {
            List<String[]> rows = new ArrayList<>();
            rows.add(new String[] {"PACKAGE", "INSTALLED", "INSTALL", "KEV", "SEVERITY", "FIXES"});
            for (PatchPlan.Upgrade u : plan.packages()) {
                rows.add(new String[] {
                    u.name(),
                    u.installed(),
                    u.fixedVersion(),
                    u.knownExploited() ? "yes" : "",
                    u.severity().name(),
                    String.join(" ", u.vulnerabilities())
                });
            }
            printRows(w, rows);
            w.println("  " + TerminalText.escape(plan.command()));
        }
        for (String left : plan.leftOut()) {
            w.println("  not in the command: " + TerminalText.escape(left));
        }
    }

    private void writeSockets(PrintWriter w, List<ListeningSockets.Socket> sockets) {
        w.println();
        w.println("Listening sockets: " + sockets.size());
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"PROTOCOL", "ADDRESS", "PORT", "PROCESS"});
        for (ListeningSockets.Socket s : sockets) {
            String owners = s.owners().isEmpty()
                    ? "(unknown)"
                    : String.join(
                            ", ",
                            s.owners().stream()
                                    .map(o -> o.name() + " (" + o.pid() + ")")
                                    .toList());
            rows.add(new String[] {s.protocol(), s.address(), Integer.toString(s.port()), owners});
        }
        printRows(w, rows);
    }

    private void writeMisconfigurations(PrintWriter w, List<Misconfiguration> found) {
        w.println();
        Map<Severity, Integer> counts = new java.util.EnumMap<>(Severity.class);
        found.forEach(m -> counts.merge(m.check().severity(), 1, Integer::sum));
        w.println("Misconfigurations: " + found.size() + (counts.isEmpty() ? "" : " " + counts));
        if (found.isEmpty()) {
            return;
        }
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"CHECK", "SEVERITY", "WHERE", "TITLE", "FOUND"});
        for (Misconfiguration m : found) {
            String where = m.path() + (m.line() > 0 ? ":" + m.line() : "");
            rows.add(new String[] {
                m.check().id(), m.check().severity().name(), where, m.check().title(), m.message()
            });
        }
        printRows(w, rows);
    }

    private void writePackages(PrintWriter w, ArtifactDescription artifact, Inventory inventory) {
        Map<String, List<Package>> byLayer = new TreeMap<>();
        for (Package p : inventory.packages()) {
            Location l =
                    p.locations().isEmpty() ? Location.of("") : p.locations().get(0);
            byLayer.computeIfAbsent(layerTitle(artifact, l), k -> new ArrayList<>())
                    .add(p);
        }
        for (Map.Entry<String, List<Package>> group : byLayer.entrySet()) {
            w.println();
            if (!group.getKey().isEmpty()) {
                w.println(group.getKey());
            }
            List<String[]> rows = new ArrayList<>();
            rows.add(new String[] {"NAME", "VERSION", "TYPE", "LOCATION"});
            for (Package p : group.getValue()) {
                rows.add(new String[] {
                    p.name(),
                    p.version(),
                    p.ecosystem().purlType(),
                    p.locations().isEmpty() ? "" : p.locations().get(0).path()
                });
            }
            printRows(w, rows);
        }
    }

    private static String layerTitle(ArtifactDescription artifact, Location location) {
        if (location.layerDiffId() == null) {
            return "";
        }
        for (Layer layer : artifact.layers()) {
            if (location.layerDiffId().equals(layer.diffId())) {
                String createdBy = layer.createdBy() == null ? "" : " " + clip(layer.createdBy(), 100);
                return String.format(Locale.ROOT, "Layer %d %s%s", layer.index() + 1, layer.diffId(), createdBy);
            }
        }
        return "Layer " + location.layerDiffId();
    }

    /** The widest a column is padded to when the table has no width limit. */
    static final int MAX_PADDED_COLUMN = 160;

    private void printRows(PrintWriter w, List<String[]> rows) {
        for (String[] row : rows) {
            for (int i = 0; i < row.length; i++) {
                row[i] = TerminalText.escape(row[i].replace('\n', ' '));
            }
        }
        String[] header = rows.get(0);
        int[] widths = columnWidths(rows, style.width());
        for (String[] row : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < row.length; i++) {
                // without a width (a file or a pipe) every cell is whole; one longer than the padded column
                // width just pushes the rest of its line right
                String cell = style.width() == 0 ? row[i] : fit(row[i], widths[i], isPath(header[i]));
                boolean last = i == row.length - 1;
                String padding = last ? "" : " ".repeat(Math.max(0, widths[i] - cell.length())) + SEPARATOR;
                line.append(row == header ? cell : coloured(header[i], cell)).append(padding);
            }
            w.println(line.toString().stripTrailing());
        }
    }

    /**
     * Each column as wide as its widest cell; when the line would be wider than {@code width}, the widest
     * columns give way first, down to their header's width (or {@link #MIN_COLUMN}).
     */
    static int[] columnWidths(List<String[]> rows, int width) {
        int columns = rows.get(0).length;
        int[] widths = new int[columns];
        int[] minimum = new int[columns];
        for (String[] row : rows) {
            for (int i = 0; i < columns; i++) {
                widths[i] = Math.max(widths[i], row[i].length());
            }
        }
        for (int i = 0; i < columns; i++) {
            minimum[i] = Math.min(widths[i], Math.max(MIN_COLUMN, rows.get(0)[i].length()));
        }
        if (width == 0) {
            // a hostile value (a version of a megabyte) must not pad every other line to its width
            for (int i = 0; i < columns; i++) {
                widths[i] = Math.min(widths[i], MAX_PADDED_COLUMN);
            }
            return widths;
        }
        int total = SEPARATOR.length() * (columns - 1);
        for (int w : widths) {
            total += w;
        }
        while (total > width) {
            int widest = -1;
            for (int i = 0; i < columns; i++) {
                if (widths[i] > minimum[i] && (widest < 0 || widths[i] > widths[widest])) {
                    widest = i;
                }
            }
            if (widest < 0) {
                break; // every column at its minimum: the line stays wider than the terminal
            }
            widths[widest]--;
            total--;
        }
        return widths;
    }

    /** A cell cut to its column: paths keep their end (the file's name), other text its beginning. */
    static String fit(String cell, int width, boolean path) {
        if (cell.length() <= width) {
            return cell;
        }
        if (width <= 1) {
            return "…".substring(0, width);
        }
        return path ? "…" + cell.substring(cell.length() - width + 1) : cell.substring(0, width - 1) + "…";
    }

    private static boolean isPath(String header) {
        return header.equals("LOCATION") || header.equals("WHERE");
    }

    /** The SEVERITY column in its severity's colour, when the style asks for colour. */
    private String coloured(String header, String cell) {
        if (!style.colour() || !header.equals("SEVERITY") || cell.isEmpty()) {
            return cell;
        }
        String word = cell.split(" ", 2)[0];
        String colour;
        switch (word) {
            case "CRITICAL" -> colour = "\033[1;31m";
            case "HIGH" -> colour = "\033[31m";
            case "MEDIUM" -> colour = "\033[33m";
            case "LOW" -> colour = "\033[34m";
            default -> colour = "";
        }
        return colour.isEmpty() ? cell : colour + cell + RESET;
    }

    private static String clip(String text, int max) {
        String oneLine = TerminalText.escape(text.replace('\n', ' '));
        return oneLine.length() <= max ? oneLine : oneLine.substring(0, max - 1) + "…";
    }

    private static String lower(String name) {
        return name.toLowerCase(Locale.ROOT);
    }
}
