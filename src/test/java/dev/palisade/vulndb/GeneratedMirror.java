package dev.palisade.vulndb;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/** Writes small OSV mirrors (and KEV catalogs) laid out like the real export, for tests. */
public final class GeneratedMirror {
    private GeneratedMirror() {}

    /** An OSV record affecting version 1.0 of {@code name} in {@code ecosystem} (e.g. {@code Debian:11}). */
    public static String advisory(String id, String ecosystem, String name) {
        return "{\"id\":\"" + id
                + "\",\"modified\":\"2026-01-01T00:00:00Z\",\"affected\":[{\"package\":{\"ecosystem\":\"" + ecosystem
                + "\",\"name\":\"" + name + "\"},\"versions\":[\"1.0\"]}]}";
    }

    /** Writes {@code <mirror>/<source>/all.zip} holding the given records, one entry each. */
    public static Path writeSource(Path mirror, String source, List<String> records) throws IOException {
        Path zip = mirror.resolve(source).resolve("all.zip");
        Files.createDirectories(zip.getParent());
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream out = new ZipOutputStream(bytes)) {
            for (int i = 0; i < records.size(); i++) {
                out.putNextEntry(new ZipEntry("record-" + i + ".json"));
                out.write(records.get(i).getBytes(StandardCharsets.UTF_8));
                out.closeEntry();
            }
        }
        Files.write(zip, bytes.toByteArray());
        return zip;
    }

    /** Writes {@code kev/known_exploited_vulnerabilities.json} beside {@code mirror}, listing these CVEs. */
    public static Path writeKevBeside(Path mirror, String... cves) throws IOException {
        Path file = mirror.toAbsolutePath()
                .normalize()
                .resolveSibling("kev")
                .resolve("known_exploited_vulnerabilities.json");
        Files.createDirectories(file.getParent());
        StringBuilder json = new StringBuilder("{\"catalogVersion\":\"2026.01.01\",\"vulnerabilities\":[");
        for (int i = 0; i < cves.length; i++) {
            json.append(i == 0 ? "" : ",")
                    .append("{\"cveID\":\"")
                    .append(cves[i])
                    .append(
                            "\",\"dateAdded\":\"2025-01-01\",\"dueDate\":\"2025-02-01\",\"vulnerabilityName\":\"test\"}");
        }
        Files.writeString(file, json.append("]}"), StandardCharsets.UTF_8);
        return file;
    }
}
