package dev.palisade.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.palisade.match.Severity;
import java.io.IOException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class WebhookPayloadsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant TIME = Instant.parse("2026-11-30T02:00:00Z");

    static ServerEvent finding(
            String id, ServerEvent.Type type, String application, String vulnerability, String title) {
        return ServerEvent.finding(
                id,
                type,
                TIME,
                application,
                "registry.example.com/shop:1.4",
                "container",
                new ServerEvent.FindingDetails(
                        vulnerability,
                        Severity.CRITICAL,
                        "pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1",
                        "org.apache.logging.log4j:log4j-core",
                        "2.14.1",
                        "2.17.1",
                        title,
                        Instant.parse("2026-11-01T00:00:00Z"),
                        LocalDate.parse("2026-11-15")));
    }

    @Test
    void shouldWriteEveryFieldOfEveryEventUnderStableNames() throws IOException {
        ServerEvent found = finding("evt_1", ServerEvent.Type.FINDING_NEW, "shop", "CVE-2021-44228", "Log4Shell");
        ServerEvent noFix = ServerEvent.finding(
                "evt_2",
                ServerEvent.Type.PATCH_OVERDUE,
                TIME,
                "shop",
                "fn",
                "function",
                new ServerEvent.FindingDetails(
                        "GHSA-xxxx", Severity.LOW, null, "left-pad", "1.0.0", null, "t", TIME, null));
        ServerEvent failed = ServerEvent.scanFailed("evt_3", TIME, "shop", "vm-1", "vm", "the SBOM is not JSON");

        JsonNode body =
                JSON.readTree(WebhookPayloads.body(Webhook.Format.PALISADE, List.of(found, noFix, failed), TIME));

        assertThat(body.get("sentAt").asText()).isEqualTo("2026-11-30T02:00:00Z");
        JsonNode first = body.get("events").get(0);
        assertThat(first.get("id").asText()).isEqualTo("evt_1");
        assertThat(first.get("type").asText()).isEqualTo("finding.new");
        assertThat(first.get("time").asText()).isEqualTo("2026-11-30T02:00:00Z");
        assertThat(first.get("application").asText()).isEqualTo("shop");
        assertThat(first.get("target").asText()).isEqualTo("registry.example.com/shop:1.4");
        assertThat(first.get("deploymentModel").asText()).isEqualTo("container");
        assertThat(first.has("message")).isFalse();
        JsonNode f = first.get("finding");
        assertThat(f.get("vulnerabilityId").asText()).isEqualTo("CVE-2021-44228");
        assertThat(f.get("severity").asText()).isEqualTo("CRITICAL");
        assertThat(f.get("purl").asText()).isEqualTo("pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1");
        assertThat(f.get("packageName").asText()).isEqualTo("org.apache.logging.log4j:log4j-core");
        assertThat(f.get("packageVersion").asText()).isEqualTo("2.14.1");
        assertThat(f.get("fixedVersion").asText()).isEqualTo("2.17.1");
        assertThat(f.get("title").asText()).isEqualTo("Log4Shell");
        assertThat(f.get("firstSeen").asText()).isEqualTo("2026-11-01T00:00:00Z");
        assertThat(f.get("patchDue").asText()).isEqualTo("2026-11-15");

        JsonNode second = body.get("events").get(1).get("finding");
        assertThat(second.get("purl").isNull()).isTrue();
        assertThat(second.get("fixedVersion").isNull()).isTrue();
        assertThat(second.get("patchDue").isNull()).isTrue();
        assertThat(body.get("events").get(1).get("type").asText()).isEqualTo("patch.overdue");

        JsonNode third = body.get("events").get(2);
        assertThat(third.get("type").asText()).isEqualTo("scan.failed");
        assertThat(third.get("message").asText()).isEqualTo("the SBOM is not JSON");
        assertThat(third.has("finding")).isFalse();
    }

    @Test
    void shouldSummariseForSlackAndEscapeItsControlCharacters() throws IOException {
        String hostile = "<script>alert(1)</script> & <!channel> <https://evil.example|click>";
        List<ServerEvent> events = List.of(
                finding("e1", ServerEvent.Type.FINDING_NEW, "shop & co", "CVE-2021-44228", hostile),
                finding("e2", ServerEvent.Type.FINDING_NEW, "shop & co", "CVE-2021-45046", "second"),
                finding("e3", ServerEvent.Type.FINDING_NEW, "shop & co", "CVE-2021-45105", "third"),
                ServerEvent.scanFailed("e4", TIME, "<b>", "vm-1\n*bold*", "vm", "parse error at <line 3> & more"));

        JsonNode body = JSON.readTree(WebhookPayloads.body(Webhook.Format.SLACK, events, TIME));

        String text = body.get("text").asText();
        assertThat(text)
                .startsWith("3 new findings in application shop &amp; co: CVE-2021-44228 (CRITICAL) in"
                        + " org.apache.logging.log4j:log4j-core 2.14.1, CVE-2021-45046 (CRITICAL)")
                .contains("1 failed scan in application &lt;b&gt;: vm-1 *bold*");
        List<String> all = new ArrayList<>();
        all.add(text);
        body.get("blocks").forEach(b -> all.add(b.get("text").get("text").asText()));
        assertThat(body.get("blocks")).hasSize(2);
        assertThat(all.get(1))
                .contains(
                        "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;!channel&gt; &lt;https://evil.example|click&gt;")
                .contains("fixed in 2.17.1")
                .contains("patch due 2026-11-15");
        assertThat(all.get(2)).contains("parse error at &lt;line 3&gt; &amp; more");
        for (String t : all) {
            assertThat(t.replace("&amp;", "").replace("&lt;", "").replace("&gt;", ""))
                    .doesNotContain("<", ">", "&");
        }
    }

    @Test
    void shouldKeepABigBatchWithinSlacksLimits() throws IOException {
        List<ServerEvent> events = new ArrayList<>();
        for (int app = 0; app < 80; app++) {
            for (int i = 0; i < 30; i++) {
                events.add(finding(
                        "e" + app + "-" + i,
                        ServerEvent.Type.FINDING_NEW,
                        "app-" + app + "-" + "n".repeat(300),
                        "CVE-2026-" + i,
                        "&".repeat(400)));
            }
        }

        JsonNode body = JSON.readTree(WebhookPayloads.body(Webhook.Format.SLACK, events, TIME));

        JsonNode blocks = body.get("blocks");
        assertThat(blocks.size()).isLessThanOrEqualTo(WebhookPayloads.SLACK_MAX_BLOCKS);
        assertThat(body.get("text").asText().length()).isLessThanOrEqualTo(WebhookPayloads.SLACK_MAX_TEXT_CHARS);
        for (JsonNode block : blocks) {
            String t = block.has("text")
                    ? block.get("text").get("text").asText()
                    : block.get("elements").get(0).get("text").asText();
            assertThat(t.length()).isLessThanOrEqualTo(WebhookPayloads.SLACK_MAX_SECTION_CHARS);
            assertThat(t).doesNotContain("&&").doesNotEndWith("&am");
        }
        String[] lines = blocks.get(0).get("text").get("text").asText().split("\n");
        long listed = Arrays.stream(lines).filter(l -> l.startsWith("• ")).count();
        assertThat(listed).isBetween(1L, (long) WebhookPayloads.SLACK_ITEMS_PER_GROUP);
        assertThat(lines[lines.length - 1]).isEqualTo("…and " + (30 - listed) + " more");
        assertThat(blocks.get(blocks.size() - 1)
                        .get("elements")
                        .get(0)
                        .get("text")
                        .asText())
                .isEqualTo("…and 31 more groups of events not shown");
    }
}
