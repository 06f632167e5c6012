package dev.palisade.checks;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Services that listen on the network once enabled, and their default ports ({@code network-services.tsv}). */
public final class NetworkServices {
    private NetworkServices() {}

    /** Service name (unit or package, lower case) to the ports it listens on by default. */
    public static Map<String, List<Integer>> defaultPorts() {
        Map<String, List<Integer>> services = new TreeMap<>();
        try (InputStream in = NetworkServices.class.getResourceAsStream("network-services.tsv")) {
            if (in == null) {
                throw new IllegalStateException("network-services.tsv is missing from the class path");
            }
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] f = line.split("\t");
                List<Integer> ports = new ArrayList<>();
                for (String p : f[1].split(",")) {
                    ports.add(Integer.parseInt(p.strip()));
                }
                services.put(f[0], List.copyOf(ports));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("network-services.tsv", e);
        }
        return java.util.Collections.unmodifiableMap(services);
    }
}
