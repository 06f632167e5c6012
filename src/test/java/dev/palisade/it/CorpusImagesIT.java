package dev.palisade.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.palisade.inventory.Ecosystem;
import dev.palisade.inventory.Inventory;
import dev.palisade.inventory.Package;
import dev.palisade.testing.Scans;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real images of ../shared/corpus, scanned end to end. */
class CorpusImagesIT {
    static final Path MINBASE = Scans.shared().resolve("corpus/debian-bookworm-minbase.tar");
    static final Path JVM_APP = Scans.shared().resolve("corpus/jvm-app.tar");

    @TempDir
    Path tmp;

    @Test
    void shouldFindExactlyTheDpkgPackagesDpkgQueryReports() throws Exception {
        Inventory inventory = Scans.image(MINBASE);
        Set<String> found = inventory.packages().stream()
                .filter(p -> p.ecosystem() == Ecosystem.DEBIAN)
                .map(p -> p.name() + " " + p.version())
                .collect(Collectors.toCollection(TreeSet::new));

        Set<String> reference = dpkgQuery(extractStatus(MINBASE));

        assertThat(found).hasSize(88).isEqualTo(reference);
        assertThat(inventory.os()).isNotNull();
        assertThat(inventory.os().distroQualifier()).isEqualTo("debian-12");
        assertThat(inventory.os().codename()).isEqualTo("bookworm");
        assertThat(inventory.problems()).isEmpty();
        Package libc = inventory.packages().stream()
                .filter(p -> p.name().equals("libc6"))
                .findFirst()
                .orElseThrow();
        assertThat(libc.sourceName()).isEqualTo("glibc");
        assertThat(libc.purl())
                .startsWith("pkg:deb/debian/libc6@")
                .contains("arch=amd64")
                .contains("distro=debian-12")
                .contains("upstream=glibc");
    }

    @Test
    void shouldIdentifyEveryJarOfTheJvmAppWithItsCoordinatesAndLayer() throws Exception {
        Inventory inventory = Scans.image(JVM_APP);
        List<String> maven = inventory.packages().stream()
                .filter(p -> p.ecosystem() == Ecosystem.MAVEN)
                .map(p -> p.purl() + " " + p.locations().get(0).path())
                .collect(Collectors.toList());

        String boot = "app/app.jar!/BOOT-INF/lib/";
        assertThat(maven)
                .containsExactlyInAnyOrder(
                        "pkg:maven/dev.palisade.corpus/corpus-boot-app@1.0.0 app/app.jar",
                        "pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1 app/lib/log4j-core-2.14.1.jar",
                        "pkg:maven/org.apache.logging.log4j/log4j-api@2.14.1 app/lib/log4j-api-2.14.1.jar",
                        "pkg:maven/com.fasterxml.jackson.core/jackson-databind@2.9.10.1 app/lib/jackson-databind-2.9.10.1.jar",
                        "pkg:maven/org.springframework/spring-core@5.3.17 app/lib/spring-core-5.3.17.jar",
                        "pkg:maven/commons-collections/commons-collections@3.2.1 app/lib/commons-collections-3.2.1.jar",
                        "pkg:maven/com.fasterxml.jackson.core/jackson-annotations@2.13.2 " + boot
                                + "jackson-annotations-2.13.2.jar",
                        "pkg:maven/com.fasterxml.jackson.core/jackson-core@2.13.2 " + boot + "jackson-core-2.13.2.jar",
                        "pkg:maven/com.fasterxml.jackson.core/jackson-databind@2.13.2 " + boot
                                + "jackson-databind-2.13.2.jar",
                        "pkg:maven/com.fasterxml.jackson.datatype/jackson-datatype-jdk8@2.13.2 " + boot
                                + "jackson-datatype-jdk8-2.13.2.jar",
                        "pkg:maven/com.fasterxml.jackson.datatype/jackson-datatype-jsr310@2.13.2 " + boot
                                + "jackson-datatype-jsr310-2.13.2.jar",
                        "pkg:maven/com.fasterxml.jackson.module/jackson-module-parameter-names@2.13.2 " + boot
                                + "jackson-module-parameter-names-2.13.2.jar",
                        "pkg:maven/jakarta.annotation/jakarta.annotation-api@1.3.5 " + boot
                                + "jakarta.annotation-api-1.3.5.jar",
                        "pkg:maven/org.slf4j/jul-to-slf4j@1.7.36 " + boot + "jul-to-slf4j-1.7.36.jar",
                        "pkg:maven/org.apache.logging.log4j/log4j-api@2.17.2 " + boot + "log4j-api-2.17.2.jar",
                        "pkg:maven/org.apache.logging.log4j/log4j-to-slf4j@2.17.2 " + boot
                                + "log4j-to-slf4j-2.17.2.jar",
                        "pkg:maven/ch.qos.logback/logback-classic@1.2.11 " + boot + "logback-classic-1.2.11.jar",
                        "pkg:maven/ch.qos.logback/logback-core@1.2.11 " + boot + "logback-core-1.2.11.jar",
                        "pkg:maven/org.slf4j/slf4j-api@1.7.36 " + boot + "slf4j-api-1.7.36.jar",
                        "pkg:maven/org.yaml/snakeyaml@1.29 " + boot + "snakeyaml-1.29.jar",
                        "pkg:maven/org.springframework/spring-aop@5.3.17 " + boot + "spring-aop-5.3.17.jar",
                        "pkg:maven/org.springframework/spring-beans@5.3.17 " + boot + "spring-beans-5.3.17.jar",
                        "pkg:maven/org.springframework.boot/spring-boot@2.6.5 " + boot + "spring-boot-2.6.5.jar",
                        "pkg:maven/org.springframework.boot/spring-boot-autoconfigure@2.6.5 " + boot
                                + "spring-boot-autoconfigure-2.6.5.jar",
                        "pkg:maven/org.springframework.boot/spring-boot-jarmode-layertools@2.6.5 " + boot
                                + "spring-boot-jarmode-layertools-2.6.5.jar",
                        "pkg:maven/org.springframework/spring-context@5.3.17 " + boot + "spring-context-5.3.17.jar",
                        "pkg:maven/org.springframework/spring-core@5.3.17 " + boot + "spring-core-5.3.17.jar",
                        "pkg:maven/org.springframework/spring-expression@5.3.17 " + boot
                                + "spring-expression-5.3.17.jar",
                        "pkg:maven/org.springframework/spring-jcl@5.3.17 " + boot + "spring-jcl-5.3.17.jar",
                        "pkg:maven/org.springframework/spring-web@5.3.17 " + boot + "spring-web-5.3.17.jar",
                        "pkg:maven/org.springframework/spring-webmvc@5.3.17 " + boot + "spring-webmvc-5.3.17.jar",
                        "pkg:maven/org.apache.tomcat.embed/tomcat-embed-core@9.0.60 " + boot
                                + "tomcat-embed-core-9.0.60.jar",
                        "pkg:maven/org.apache.tomcat.embed/tomcat-embed-el@9.0.60 " + boot
                                + "tomcat-embed-el-9.0.60.jar",
                        "pkg:maven/org.apache.tomcat.embed/tomcat-embed-websocket@9.0.60 " + boot
                                + "tomcat-embed-websocket-9.0.60.jar");

        String appLayer = "sha256:8594c79af8ca62f112b2e042431514050e9b6827a184e90569157f3310ee20d1";
        assertThat(inventory.packages())
                .filteredOn(p -> p.ecosystem() == Ecosystem.MAVEN)
                .allSatisfy(p -> {
                    assertThat(p.locations().get(0).layerDiffId()).isEqualTo(appLayer);
                    assertThat(p.locations().get(0).layerCreatedBy()).startsWith("COPY app/ /app/");
                });
        assertThat(inventory.packages())
                .filteredOn(p -> p.ecosystem() == Ecosystem.DEBIAN)
                .hasSize(88)
                .allSatisfy(
                        p -> assertThat(p.locations().get(0).layerCreatedBy()).startsWith("mmdebstrap"));
        Package springCore = inventory.packages().stream()
                .filter(p -> p.locations().get(0).path().equals("app/lib/spring-core-5.3.17.jar"))
                .findFirst()
                .orElseThrow();
        assertThat(springCore.metadata()).containsEntry("sha1", sha1OfMember("app/lib/spring-core-5.3.17.jar"));
        assertThat(inventory.artifact().image().user()).isEqualTo("1000");
        assertThat(inventory.artifact().image().exposedPorts()).containsExactly("8080/tcp");
        assertThat(inventory.problems()).isEmpty();
    }

    private String sha1OfMember(String member) throws IOException {
        try (TarFile outer = new TarFile(JVM_APP)) {
            for (TarArchiveEntry layer : outer.getEntries()) {
                if (!layer.getName().endsWith(".tar.gz")) {
                    continue;
                }
                try (TarArchiveInputStream in =
                        new TarArchiveInputStream(new GZIPInputStream(outer.getInputStream(layer)))) {
                    TarArchiveEntry e;
                    while ((e = in.getNextEntry()) != null) {
                        if (e.getName().replaceFirst("^\\./", "").equals(member)) {
                            return java.util.HexFormat.of()
                                    .formatHex(java.security.MessageDigest.getInstance("SHA-1")
                                            .digest(in.readAllBytes()));
                        }
                    }
                } catch (java.security.NoSuchAlgorithmException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
        throw new IllegalStateException(member + " not found");
    }

    /** Extracts var/lib/dpkg/status from the image's layers with plain commons-compress, as a reference. */
    private Path extractStatus(Path image) throws IOException {
        Path admin = Files.createDirectories(tmp.resolve("dpkg"));
        try (TarFile outer = new TarFile(image)) {
            for (TarArchiveEntry layer : outer.getEntries()) {
                if (!layer.getName().endsWith(".tar.gz")) {
                    continue;
                }
                try (InputStream in = new TarArchiveInputStream(
                        new GZIPInputStream(new BufferedInputStream(outer.getInputStream(layer))))) {
                    TarArchiveInputStream tar = (TarArchiveInputStream) in;
                    TarArchiveEntry e;
                    while ((e = tar.getNextEntry()) != null) {
                        if (e.getName().replaceFirst("^\\./", "").equals("var/lib/dpkg/status")) {
                            Files.write(admin.resolve("status"), tar.readAllBytes());
                        }
                    }
                }
            }
        }
        return admin;
    }

    private static Set<String> dpkgQuery(Path admin) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(
                        "dpkg-query", "--admindir=" + admin, "-W", "-f", "${Package} ${Version} ${db:Status-Status}\\n")
                .redirectErrorStream(true)
                .start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor()).as(output).isZero();
        Set<String> installed = new TreeSet<>();
        for (String line : output.split("\n")) {
            String[] f = line.split(" ");
            if (f.length == 3 && !f[2].equals("not-installed") && !f[2].equals("config-files")) {
                installed.add(f[0] + " " + f[1]);
            }
        }
        return installed;
    }
}
