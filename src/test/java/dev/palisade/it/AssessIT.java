package dev.palisade.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.palisade.testing.Cli;
import dev.palisade.testing.JsonReports;
import dev.palisade.testing.Scans;
import dev.palisade.testing.TestDatabase;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code palisade assess} on a portfolio of real artifacts: the mmdebstrap VM root file system, the
 * corpus image jvm-app.tar, and Lambda zips built here from that image's own jars. Every artifact
 * is scanned once, by one run of the command.
 */
class AssessIT {
    @TempDir
    static Path work;

    static JsonNode assessment;
    static int imageOsPackages;
    static int vmOsPackages;
    static Map<String, byte[]> jars;

    @BeforeAll
    static void assessThePortfolio() throws Exception {
        Path image = Scans.shared().resolve("corpus/jvm-app.tar");
        Path rootfs = VirtualMachineIT.rootfs();
        jars = new LinkedHashMap<>();
        imageOsPackages = readImage(image, jars);
        vmOsPackages = installed(Files.readString(rootfs.resolve("var/lib/dpkg/status")));
        assertThat(jars).hasSize(5);
        zip(work.resolve("shop-lambda.zip"), jars, Map.of());
        Files.writeString(work.resolve("template.yaml"), template("java21"));
        // the blocker: a bundled server listening on a raw TCP port, set in the package's configuration
        zip(
                work.resolve("ledger-lambda.zip"),
                jars,
                Map.of("config/listener<b>.properties", "tcp.server.port=9000\nserver.port=8080\n"));
        // how shop's container is run: privileged
        Files.writeString(
                work.resolve("compose.yaml"),
                """
                services:
                  web:
                    image: palisade-corpus/jvm-app:1.0
                    privileged: true
                    user: "1000"
                """);
        Files.writeString(
                work.resolve("portfolio.yaml"),
                """
                applications:
                  - name: shop
                    owner: team-payments
                    deployments:
                      - model: vm
                        rootfs: %s
                      - model: container
                        image: %s
                        config: compose.yaml
                      - model: function
                        package: shop-lambda.zip
                        template: template.yaml
                  - name: ledger
                    deployments:
                      - model: container
                        image: %s
                      - model: function
                        package: ledger-lambda.zip
                """
                        .formatted(rootfs, image, image));
        List<String> args =
                new ArrayList<>(List.of("assess", work.resolve("portfolio.yaml").toString(), "-f", "json", "-q"));
        args.addAll(TestDatabase.offlineArgs());
        Cli.Result result = Cli.run(args.toArray(String[]::new));
        assertThat(result.exit()).as(result.err()).isZero();
        assessment = JsonReports.read(result.out());
    }

    @Test
    void shouldMeasureEachModelFromItsInventory() {
        JsonNode shop = application("shop");
        assertThat(profile(shop, "vm").path("osPackages").asInt()).isEqualTo(vmOsPackages);
        assertThat(profile(shop, "container").path("osPackages").asInt()).isEqualTo(imageOsPackages);
        assertThat(profile(shop, "function").path("osPackages").asInt()).isZero();
        assertThat(profile(shop, "function").path("applicationLibraries").asInt())
                .isEqualTo(jars.size());
        assertThat(texts(profile(shop, "vm").path("networkServices")))
                .hasSize(3)
                .anyMatch(s -> s.startsWith("ssh [22]"))
                .anyMatch(s -> s.startsWith("apache2 [80, 443]"))
                .anyMatch(s -> s.startsWith("telnet [23] (etc/inetd.conf)"));
        assertThat(texts(profile(shop, "container").path("networkServices")))
                .containsExactly("port 8080 (image config ExposedPorts 8080/tcp)");
        assertThat(profile(shop, "container").path("runsAsRoot").asBoolean()).isFalse();
        // log4j-core 2.14.1's critical CVE-2021-44228 has had a fix for years: overdue, and known exploited
        JsonNode container = profile(shop, "container");
        assertThat(container.path("overdue").asInt()).isPositive();
        assertThat(container.path("overdue").asInt())
                .isLessThanOrEqualTo(
                        container.path("vulnerabilities").path("critical").asInt()
                                + container.path("vulnerabilities").path("high").asInt()
                                + container.path("knownExploited").asInt());
        assertThat(container.path("knownExploited").asInt()).isPositive();
        assertThat(profile(shop, "container")
                        .path("vulnerabilities")
                        .path("total")
                        .asInt())
                .isGreaterThan(profile(shop, "function")
                        .path("vulnerabilities")
                        .path("total")
                        .asInt());
        assertThat(texts(profile(shop, "function").path("teamPatches")))
                .containsExactly("application libraries", "application code", "IAM and network configuration");
    }

    @Test
    void shouldRecommendTheFunctionForShopWithMeasuredReductions() {
        JsonNode recommendation = application("shop").path("recommendation");
        assertThat(recommendation.path("current").asText()).isEqualTo("vm");
        assertThat(recommendation.path("recommended").asText()).isEqualTo("function");
        JsonNode reduction = recommendation.path("reduction");
        assertThat(reduction.path("osPackages").asInt()).isEqualTo(vmOsPackages);
        assertThat(reduction.path("networkServices").asInt()).isEqualTo(3);
        // the VM root file system is a freshly patched Debian without the application; the function
        // carries the application's jars, so this move adds their vulnerabilities and says so
        int vulnerabilities = profile(application("shop"), "vm")
                        .path("vulnerabilities")
                        .path("total")
                        .asInt()
                - profile(application("shop"), "function")
                        .path("vulnerabilities")
                        .path("total")
                        .asInt();
        assertThat(reduction.path("vulnerabilities").asInt()).isEqualTo(vulnerabilities);
        assertThat(recommendation.path("summary").asText())
                .isEqualTo("as a function: " + vmOsPackages + " fewer OS packages to patch, "
                        + (vulnerabilities >= 0
                                ? vulnerabilities + " fewer vulnerabilities"
                                : -vulnerabilities + " more vulnerabilities")
                        + ", 3 fewer network services");
        // the compose file runs the container privileged: a blocker for the container, not for the function
        JsonNode container = model(application("shop"), "container");
        assertThat(container.path("blocked").asBoolean()).isTrue();
        List<JsonNode> blockers = JsonReports.elements(container, "blockers");
        assertThat(blockers).hasSize(1);
        assertThat(blockers.get(0).path("kind").asText()).isEqualTo("needs the host");
        assertThat(blockers.get(0).path("evidence").asText()).isEqualTo("compose.yaml services.web.privileged");
        assertThat(texts(container.path("unknown"))).noneMatch(u -> u.startsWith("privileged mode"));
        assertThat(model(application("shop"), "function").path("blocked").asBoolean())
                .isFalse();
    }

    @Test
    void shouldBlockTheLedgerFunctionOnItsRawTcpListener() {
        JsonNode ledger = application("ledger");
        JsonNode function = model(ledger, "function");
        assertThat(function.path("blocked").asBoolean()).isTrue();
        List<JsonNode> blockers = JsonReports.elements(function, "blockers");
        assertThat(blockers).hasSize(1);
        assertThat(blockers.get(0).path("kind").asText()).isEqualTo("non-HTTP listener");
        assertThat(blockers.get(0).path("evidence").asText())
                .isEqualTo("config/listener<b>.properties: tcp.server.port=9000");
        assertThat(texts(function.path("unknown"))).contains("runtime: unknown (no template names one)");
        assertThat(ledger.path("recommendation").path("recommended").asText()).isEqualTo("container");
        assertThat(ledger.path("recommendation").path("reduction").isNull()).isTrue();
    }

    @Test
    void shouldRankMigrationsByRiskRemovedAndTotalThePortfolio() {
        List<JsonNode> ranking = JsonReports.elements(assessment, "ranking");
        assertThat(ranking).hasSize(3);
        for (int i = 1; i < ranking.size(); i++) {
            assertThat(ranking.get(i - 1).path("reduction").path("riskScore").asInt())
                    .isGreaterThanOrEqualTo(
                            ranking.get(i).path("reduction").path("riskScore").asInt());
        }
        JsonNode shopToFunction = ranking.stream()
                .filter(m -> m.path("application").asText().equals("shop")
                        && m.path("to").asText().equals("function"))
                .findFirst()
                .orElseThrow();
        JsonNode shop = application("shop");
        assertThat(shopToFunction.path("reduction").path("riskScore").asInt())
                .isEqualTo(profile(shop, "vm").path("riskScore").asInt()
                        - profile(shop, "function").path("riskScore").asInt());
        assertThat(shopToFunction.path("blocked").asBoolean()).isFalse();
        JsonNode ledgerMove = ranking.stream()
                .filter(m -> m.path("application").asText().equals("ledger"))
                .findFirst()
                .orElseThrow();
        assertThat(ledgerMove.path("blocked").asBoolean()).isTrue();
        JsonNode totals = assessment.path("totals");
        assertThat(totals.path("osPackages").path("now").asInt()).isEqualTo(vmOsPackages + imageOsPackages);
        assertThat(totals.path("osPackages").path("afterRecommendations").asInt())
                .isEqualTo(imageOsPackages);
    }

    @Test
    void shouldWriteOneSelfContainedHtmlFileWithTheArtifactsTextEscaped() throws Exception {
        Path functions = work.resolve("functions.yaml");
        Files.writeString(
                functions,
                """
                applications:
                  - name: ledger
                    deployments:
                      - model: function
                        package: ledger-lambda.zip
                """);
        List<String> args = new ArrayList<>(List.of(
                "assess",
                functions.toString(),
                "-f",
                "html",
                "-q",
                "-o",
                work.resolve("report.html").toString()));
        args.addAll(TestDatabase.offlineArgs());
        Cli.Result result = Cli.run(args.toArray(String[]::new));
        assertThat(result.exit()).as(result.err()).isZero();
        String html = Files.readString(work.resolve("report.html"));
        assertThat(html).startsWith("<!DOCTYPE html>").contains("<svg").contains("<style>");
        assertThat(Pattern.compile("(?i)<[^>]*\\b(src|href|action|poster)\\s*=\\s*[\"\']?\\s*(https?:)?//")
                        .matcher(html)
                        .find())
                .as("no resource loaded from elsewhere")
                .isFalse();
        assertThat(html)
                .doesNotContainIgnoringCase("@import")
                .doesNotContainIgnoringCase("url(")
                .doesNotContain("<script");
        assertThat(html).contains("listener&lt;b&gt;.properties").doesNotContain("listener<b>");
    }

    private static JsonNode application(String name) {
        return JsonReports.elements(assessment, "applications").stream()
                .filter(a -> a.path("name").asText().equals(name))
                .findFirst()
                .orElseThrow();
    }

    private static JsonNode profile(JsonNode application, String model) {
        return JsonReports.elements(application, "profiles").stream()
                .filter(p -> p.path("model").asText().equals(model))
                .findFirst()
                .orElseThrow();
    }

    private static JsonNode model(JsonNode application, String model) {
        return JsonReports.elements(application, "models").stream()
                .filter(p -> p.path("model").asText().equals(model))
                .findFirst()
                .orElseThrow();
    }

    private static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    private static String template(String runtime) {
        return """
                AWSTemplateFormatVersion: '2010-09-09'
                Transform: AWS::Serverless-2016-10-31
                Resources:
                  Shop:
                    Type: AWS::Serverless::Function
                    Properties:
                      Runtime: %s
                      Handler: shop.Handler::handleRequest
                      CodeUri: shop-lambda.zip
                      Policies:
                        - Statement:
                            - Effect: Allow
                              Action: dynamodb:GetItem
                              Resource: arn:aws:dynamodb:eu-west-1:123456789012:table/orders
                """
                .formatted(runtime);
    }

    /** The image's jars under app/lib, and the number of installed packages in its dpkg status. */
    private static int readImage(Path image, Map<String, byte[]> jars) throws IOException {
        int installed = 0;
        try (TarArchiveInputStream outer = new TarArchiveInputStream(Files.newInputStream(image))) {
            for (TarArchiveEntry e = outer.getNextEntry(); e != null; e = outer.getNextEntry()) {
                if (!e.getName().endsWith(".tar.gz")) {
                    continue;
                }
                TarArchiveInputStream layer = new TarArchiveInputStream(new GZIPInputStream(nonClosing(outer)));
                for (TarArchiveEntry f = layer.getNextEntry(); f != null; f = layer.getNextEntry()) {
                    String name = f.getName().replaceFirst("^\\./", "");
                    if (name.startsWith("app/lib/") && name.endsWith(".jar")) {
                        jars.put("lib/" + name.substring("app/lib/".length()), layer.readAllBytes());
                    } else if (name.equals("var/lib/dpkg/status")) {
                        installed = installed(new String(layer.readAllBytes(), StandardCharsets.UTF_8));
                    }
                }
            }
        }
        return installed;
    }

    private static int installed(String status) {
        int count = 0;
        for (String stanza : status.split("\n\n")) {
            if (stanza.lines().anyMatch(l -> l.startsWith("Status:") && l.endsWith(" installed"))) {
                count++;
            }
        }
        return count;
    }

    private static InputStream nonClosing(InputStream in) {
        return new java.io.FilterInputStream(in) {
            @Override
            public void close() {}
        };
    }

    private static void zip(Path file, Map<String, byte[]> jars, Map<String, String> texts) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            for (Map.Entry<String, byte[]> jar : jars.entrySet()) {
                zip.putNextEntry(new ZipEntry(jar.getKey()));
                zip.write(jar.getValue());
                zip.closeEntry();
            }
            for (Map.Entry<String, String> text : texts.entrySet()) {
                zip.putNextEntry(new ZipEntry(text.getKey()));
                zip.write(text.getValue().getBytes(StandardCharsets.UTF_8));
                zip.closeEntry();
            }
        }
        Files.write(file, bytes.toByteArray());
    }
}
