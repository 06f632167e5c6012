package dev.palisade.catalog.maven;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;
import org.jspecify.annotations.Nullable;

/**
 * Where a Maven project's dependencies are looked for.
 *
 * @param localRepository the local repository ({@code ~/.m2/repository}); written to when a POM is downloaded
 * @param offline true to read the local repository only: what is not there is reported, never fetched
 * @param repositories the remote repositories asked before those the POMs declare (Maven Central by default)
 * @param mirrors the mirrors of settings.xml, which stand in for the repositories they mirror (POMs' too)
 */
public record MavenSettings(
        Path localRepository, boolean offline, List<Repository> repositories, List<Mirror> mirrors) {
    public static final Repository CENTRAL = new Repository("central", "https://repo.maven.apache.org/maven2/");

    public MavenSettings {
        Objects.requireNonNull(localRepository, "localRepository");
        repositories = List.copyOf(repositories);
        mirrors = List.copyOf(mirrors);
    }

    /** Maven Central, no mirror. */
    public static MavenSettings of(Path localRepository, boolean offline) {
        return new MavenSettings(localRepository, offline, List.of(CENTRAL), List.of());
    }

    public MavenSettings withMirrors(List<Mirror> newMirrors) {
        return new MavenSettings(localRepository, offline, repositories, newMirrors);
    }

    /**
     * A settings.xml mirror: {@code mirrorOf} as Maven reads it ({@code *}, {@code central},
     * {@code external:*,!internal}...).
     */
    public record Mirror(String id, String url, String mirrorOf) {
        public Mirror {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(mirrorOf, "mirrorOf");
            new Repository(id, url); // the same check of the URL
        }
    }

    /**
     * The local repository and mirrors of a {@code settings.xml}; nothing else of it is read (servers and
     * their credentials are not). No DTD or entity is read.
     */
    public record SettingsXml(@Nullable String localRepository, List<Mirror> mirrors) {
        public static SettingsXml parse(byte[] xml) throws IOException {
            XMLInputFactory factory = XMLInputFactory.newFactory();
            factory.setProperty(XMLInputFactory.SUPPORT_DTD, false);
            factory.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
            String localRepository = null;
            List<Mirror> mirrors = new ArrayList<>();
            Deque<String> elements = new ArrayDeque<>();
            Map<String, String> mirror = new HashMap<>();
            try {
                XMLStreamReader reader = factory.createXMLStreamReader(new ByteArrayInputStream(xml));
                while (reader.hasNext()) {
                    int event = reader.next();
                    if (event == XMLStreamConstants.DTD) {
                        throw new IOException("a document type declaration is not expected in settings.xml");
                    } else if (event == XMLStreamConstants.START_ELEMENT) {
                        elements.push(reader.getLocalName());
                        String path = String.join("/", (Iterable<String>) elements::descendingIterator);
                        if (path.equals("settings/localRepository")) {
                            localRepository = reader.getElementText().strip();
                            elements.pop();
                        } else if (path.startsWith("settings/mirrors/mirror/") && elements.size() == 4) {
                            mirror.put(
                                    reader.getLocalName(),
                                    reader.getElementText().strip());
                            elements.pop();
                        }
                    } else if (event == XMLStreamConstants.END_ELEMENT) {
                        String path = String.join("/", (Iterable<String>) elements::descendingIterator);
                        if (path.equals("settings/mirrors/mirror")) {
                            if (mirror.containsKey("url") && mirror.containsKey("mirrorOf")) {
                                mirrors.add(new Mirror(
                                        mirror.getOrDefault("id", "mirror"),
                                        mirror.get("url"),
                                        mirror.get("mirrorOf")));
                            }
                            mirror.clear();
                        }
                        elements.pop();
                    }
                }
            } catch (XMLStreamException | IllegalArgumentException e) {
                throw new IOException("not a readable settings.xml: " + e.getMessage(), e);
            }
            return new SettingsXml(localRepository, mirrors);
        }
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
