package dev.palisade.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A small real Maven project and the local repository it resolves against, written by the test: a parent
 * from the repository and one by relative path, a property-defined version, a BOM import, an exclusion, an
 * optional dependency and a test-scope dependency. Only POMs: resolving a tree reads no jar.
 */
public final class MavenProjects {
    public final Path repo;
    public final Path project;

    private MavenProjects(Path repo, Path project) {
        this.repo = repo;
        this.project = project;
    }

    /** Writes the repository and the project (a root aggregator and its module {@code app}) under {@code temp}. */
    public static MavenProjects write(Path temp) throws IOException {
        MavenProjects m = new MavenProjects(temp.resolve("repository"), temp.resolve("project"));
        m.writeAll();
        return m;
    }

    private void writeAll() throws IOException {
        pom(
                "com.example",
                "corp-parent",
                "1",
                "<packaging>pom</packaging><properties><lib.version>2.0</lib.version></properties>");
        pom(
                "com.example",
                "platform-bom",
                "3.0",
                "<packaging>pom</packaging>" + "<dependencyManagement><dependencies>"
                        + dep("org.example", "lib-c", "1.5", "") + "</dependencies></dependencyManagement>");
        pom(
                "org.example",
                "lib-a",
                "2.0",
                "<dependencies>"
                        + dep("org.example", "lib-b", "1.0", "")
                        + dep("org.example", "lib-c", "1.0", "")
                        + dep("org.example", "lib-x", "1.0", "")
                        + "</dependencies>");
        pom(
                "org.example",
                "lib-b",
                "1.0",
                "<dependencies>" + dep("org.example", "opt-dep", "1.0", "<optional>true</optional>")
                        + "</dependencies>");
        pom("org.example", "lib-c", "1.0", "");
        pom("org.example", "lib-c", "1.5", "");
        pom("org.example", "lib-x", "1.0", "");
        pom("org.example", "opt-dep", "1.0", "");
        pom(
                "org.example",
                "test-lib",
                "1.0",
                "<dependencies>" + dep("org.example", "test-dep", "1.0", "") + "</dependencies>");
        pom("org.example", "test-dep", "1.0", "");
        writeFile(
                project.resolve("pom.xml"),
                project("<parent><groupId>com.example</groupId><artifactId>corp-parent</artifactId>"
                        + "<version>1</version><relativePath/></parent>"
                        + "<groupId>com.example</groupId><artifactId>app-parent</artifactId><version>1.0</version><packaging>pom</packaging>"
                        + "<modules><module>app</module></modules>"
                        + "<dependencyManagement><dependencies>"
                        + dep("com.example", "platform-bom", "3.0", "<type>pom</type><scope>import</scope>")
                        + "</dependencies></dependencyManagement>"));
        writeFile(
                project.resolve("app/pom.xml"),
                project("<parent><groupId>com.example</groupId><artifactId>app-parent</artifactId>"
                        + "<version>1.0</version></parent><artifactId>app</artifactId><dependencies>"
                        + dep(
                                "org.example",
                                "lib-a",
                                "${lib.version}",
                                "<exclusions><exclusion><groupId>org.example</groupId><artifactId>lib-x</artifactId></exclusion></exclusions>")
                        + dep("org.example", "test-lib", "1.0", "<scope>test</scope>")
                        + "</dependencies>"));
    }

    public void pom(String group, String artifact, String version, String body) throws IOException {
        writeFile(
                repo.resolve(group.replace('.', '/') + "/" + artifact + "/" + version + "/" + artifact + "-" + version
                        + ".pom"),
                project("<groupId>" + group + "</groupId><artifactId>" + artifact + "</artifactId><version>" + version
                        + "</version>" + body));
    }

    public static String project(String body) {
        return "<project xmlns=\"http://maven.apache.org/POM/4.0.0\"><modelVersion>4.0.0</modelVersion>" + body
                + "</project>\n";
    }

    public static String dep(String group, String artifact, String version, String extra) {
        return "<dependency><groupId>" + group + "</groupId><artifactId>" + artifact + "</artifactId><version>"
                + version + "</version>" + extra + "</dependency>";
    }

    public static void writeFile(Path file, String text) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, text, StandardCharsets.UTF_8);
    }
}
