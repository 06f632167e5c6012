package dev.palisade.vulndb;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The online OSV export (or any http(s) mirror of it): conditional GETs with {@code If-None-Match} and
 * {@code If-Modified-Since}, retries with backoff on 429/5xx and broken connections (honouring
 * {@code Retry-After}), bounded downloads.
 */
public final class HttpMirror implements Mirror {
    /** The ecosystems fetched from an online export, which cannot be listed. */
    public static final List<String> DEFAULT_ECOSYSTEMS = List.of(
            "Alpine",
            "AlmaLinux",
            "Chainguard",
            "Debian",
            "openSUSE",
            "Photon OS",
            "Red Hat",
            "Rocky Linux",
            "SUSE",
            "Ubuntu",
            "Wolfi",
            "Go",
            "Maven",
            "npm",
            "PyPI",
            "crates.io",
            "RubyGems",
            "Packagist",
            "NuGet");

    /** Network settings: timeouts, retries and the largest file accepted. */
    public record Settings(Duration connectTimeout, Duration requestTimeout, int retries, long maxBytes) {
        public static Settings defaults() {
            return new Settings(Duration.ofSeconds(20), Duration.ofMinutes(10), 3, 4L * 1024 * 1024 * 1024);
        }
    }

    private final URI base;
    private final Settings settings;
    private final HttpClient client;

    public HttpMirror(URI base, Settings settings) {
        this.base = base;
        this.settings = settings;
        this.client = HttpClient.newBuilder()
                .connectTimeout(settings.connectTimeout())
                .followRedirects(HttpClient.Redirect.NORMAL)
                .build();
    }

    @Override
    public String location() {
        return base.toString();
    }

    @Override
    public List<String> ecosystems() {
        return DEFAULT_ECOSYSTEMS;
    }

    @Override
    public Fetch fetch(String path, @Nullable Validators previous, Path downloads) throws IOException {
        URI uri = base.resolve(encodePath(path));
        IOException last = null;
        for (int attempt = 0; attempt <= settings.retries(); attempt++) {
            HttpRequest.Builder request = HttpRequest.newBuilder(uri)
                    .timeout(settings.requestTimeout())
                    .GET();
            if (previous != null && previous.etag() != null) {
                request.header("If-None-Match", previous.etag());
            }
            if (previous != null && previous.lastModified() != null) {
                request.header("If-Modified-Since", previous.lastModified());
            }
            try {
                HttpResponse<InputStream> response =
                        client.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
                int status = response.statusCode();
                if (status == 304) {
                    response.body().close();
                    return new Fetch.NotModified();
                }
                if (status == 404) {
                    response.body().close();
                    return new Fetch.Missing(uri + ": 404 Not Found");
                }
                if (status == 429 || status >= 500) {
                    response.body().close();
                    last = new IOException(uri + ": HTTP " + status);
                    sleep(retryAfter(response).orElse(Duration.ofSeconds(1L << attempt)));
                    continue;
                }
                if (status != 200) {
                    response.body().close();
                    throw new IOException(uri + ": HTTP " + status);
                }
                Path file = Files.createTempFile(downloads, "download-", ".part");
                try (InputStream in = response.body();
                        OutputStream out = Files.newOutputStream(file)) {
                    long copied = copy(in, out);
                    long declared = response.headers()
                            .firstValueAsLong("Content-Length")
                            .orElse(-1);
                    if (declared >= 0 && declared != copied) {
                        throw new IOException(uri + ": got " + copied + " bytes of the " + declared + " announced");
                    }
                } catch (IOException e) {
                    Files.deleteIfExists(file);
                    throw e;
                }
                return new Fetch.Fetched(
                        file,
                        new Validators(
                                response.headers().firstValue("ETag").orElse(null),
                                response.headers().firstValue("Last-Modified").orElse(null)),
                        true);
            } catch (IOException e) {
                last = e;
                sleep(Duration.ofSeconds(1L << attempt));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while fetching " + uri, e);
            }
        }
        String reason = last == null
                ? ""
                : last.getMessage() != null
                        ? last.getMessage()
                        : last.getClass().getSimpleName();
        throw new IOException(
                "giving up on " + uri + " after " + (settings.retries() + 1) + " attempts: " + reason, last);
    }

    private long copy(InputStream in, OutputStream out) throws IOException {
        byte[] buffer = new byte[256 * 1024];
        long total = 0;
        int n;
        while ((n = in.read(buffer)) != -1) {
            total += n;
            if (total > settings.maxBytes()) {
                throw new IOException("download larger than " + settings.maxBytes() + " bytes");
            }
            out.write(buffer, 0, n);
        }
        return total;
    }

    private static Optional<Duration> retryAfter(HttpResponse<?> response) {
        return response.headers().firstValue("Retry-After").flatMap(v -> {
            try {
                return Optional.of(Duration.ofSeconds(Math.min(120, Long.parseLong(v.trim()))));
            } catch (NumberFormatException e) {
                return Optional.empty();
            }
        });
    }

    private static void sleep(Duration duration) throws IOException {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    private static String encodePath(String path) {
        return path.replace(" ", "%20");
    }
}
