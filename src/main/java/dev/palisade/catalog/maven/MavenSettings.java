package dev.palisade.catalog.maven;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * Where a Maven project's dependencies are looked for.
 *
 * @param localRepository the local repository ({@code ~/.m2/repository}); written to when a POM is downloaded
 * @param offline true to read the local repository only: what is not there is reported, never fetched
 * @param repositories the remote repositories asked before those the POMs declare (Maven Central by default),
 *     already replaced by their mirrors
 */
public record MavenSettings(Path localRepository, boolean offline, List<Repository> repositories) {
    public static final Repository CENTRAL = new Repository("central", "https://repo.maven.apache.org/maven2/");

    public MavenSettings {
        Objects.requireNonNull(localRepository, "localRepository");
        repositories = List.copyOf(repositories);
    }

    /** Maven Central, unless offline. */
    public static MavenSettings of(Path localRepository, boolean offline) {
        return new MavenSettings(localRepository, offline, List.of(CENTRAL));
    }

    /** A remote repository by its id (as settings.xml and POMs name it) and URL. */
    public record Repository(String id, String url) {
        public Repository {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(url, "url");
            String scheme = URI.create(url).getScheme();
            if (scheme == null || !List.of("https", "http", "file").contains(scheme)) {
                throw new IllegalArgumentException("not a repository URL: " + url);
            }
        }
    }
}
