package dev.palisade.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The JSON body of one webhook delivery, which carries one or more events of one update.
 *
 * <p>{@link Webhook.Format#PALISADE}: {@code {"events": [...], "sentAt": "2026-11-30T02:08:00Z"}}, each
 * event {@code {"id", "type", "time", "application", "target", "deploymentModel"}} and either
 * {@code "finding": {"vulnerabilityId", "severity", "purl", "packageName", "packageVersion",
 * "fixedVersion", "title", "firstSeen", "patchDue"}} (purl, fixedVersion and patchDue may be null) or,
 * for {@code scan.failed}, {@code "message"}. Times are ISO-8601 UTC instants, {@code patchDue} a date.
 * These names are an interface: add fields, never rename them.
 *
 * <p>{@link Webhook.Format#SLACK}: a Slack incoming-webhook message, {@code {"text", "blocks"}}, that
 * summarises the events per type and application ("3 new findings in application shop: ..."), within
 * Slack's limits, with Slack's control characters {@code & < >} escaped in every text taken from a scan.
 */
public final class WebhookPayloads {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    /** Slack refuses a section's text over 3,000 characters and messages over 50 blocks. */
    static final int SLACK_MAX_SECTION_CHARS = 3000;

    static final int SLACK_MAX_BLOCKS = 50;
    static final int SLACK_MAX_TEXT_CHARS = 3000;
    /** Events listed by name in each group's section; the rest are counted. */
    static final int SLACK_ITEMS_PER_GROUP = 10;
    /** Events named in the one-line summary of each group. */
    static final int SLACK_ITEMS_PER_SUMMARY = 3;

    private static final int MAX_TITLE_CHARS = 150;
    private static final int MAX_MESSAGE_CHARS = 300;
    private static final int MAX_NAME_CHARS = 200;

    private WebhookPayloads() {}

    /** The body for these events in the webhook's format, as UTF-8 JSON. */
    public static byte[] body(Webhook.Format format, List<ServerEvent> events, Instant sentAt) {
        ObjectNode payload = format == Webhook.Format.SLACK ? slack(events) : palisade(events, sentAt);
        try {
            return JSON.writeValueAsBytes(payload);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a JSON tree", e);
        }
    }

    static ObjectNode palisade(List<ServerEvent> events, Instant sentAt) {
        ObjectNode payload = NODES.objectNode();
        ArrayNode list = payload.putArray("events");
        for (ServerEvent event : events) {
            ObjectNode e = list.addObject();
            e.put("id", event.id());
            e.put("type", event.type().wireName());
            e.put("time", event.time().toString());
            e.put("application", event.application());
            e.put("target", event.target());
            e.put("deploymentModel", event.deploymentModel());
            ServerEvent.FindingDetails finding = event.finding();
            if (finding != null) {
                ObjectNode f = e.putObject("finding");
                f.put("vulnerabilityId", finding.vulnerabilityId());
                f.put("severity", finding.severity().name());
                f.put("purl", finding.purl());
                f.put("packageName", finding.packageName());
                f.put("packageVersion", finding.packageVersion());
                f.put("fixedVersion", finding.fixedVersion());
                f.put("title", finding.title());
                f.put("firstSeen", finding.firstSeen().toString());
                LocalDate patchDue = finding.patchDue();
                f.put("patchDue", patchDue == null ? null : patchDue.toString());
            }
            if (event.message() != null) {
                e.put("message", event.message());
            }
        }
        payload.put("sentAt", sentAt.toString());
        return payload;
    }

    private record Group(ServerEvent.Type type, String application) {}

    static ObjectNode slack(List<ServerEvent> events) {
        Map<Group, List<ServerEvent>> groups = new LinkedHashMap<>();
        events.stream()
                .sorted(Comparator.comparing((ServerEvent e) -> e.type()).thenComparing(ServerEvent::application))
                .forEach(e -> groups.computeIfAbsent(new Group(e.type(), e.application()), g -> new ArrayList<>())
                        .add(e));
        List<String> summaries = new ArrayList<>();
        ObjectNode payload = NODES.objectNode();
        ArrayNode blocks = NODES.arrayNode();
        int shownGroups = 0;
        for (Map.Entry<Group, List<ServerEvent>> entry : groups.entrySet()) {
            if (blocks.size() >= SLACK_MAX_BLOCKS - 1) {
                break;
            }
            shownGroups++;
            Group group = entry.getKey();
            List<ServerEvent> members = entry.getValue();
            String headline = members.size() + " " + noun(group.type(), members.size()) + " in application "
                    + escape(shorten(group.application(), MAX_NAME_CHARS));
            List<String> shortItems = new ArrayList<>();
            for (ServerEvent e : members.subList(0, Math.min(SLACK_ITEMS_PER_SUMMARY, members.size()))) {
                shortItems.add(shortItem(e));
            }
            summaries.add(headline + ": " + String.join(", ", shortItems) + more(members.size() - shortItems.size()));
            blocks.add(section(headline, members));
        }
        int hiddenGroups = groups.size() - shownGroups;
        if (hiddenGroups > 0) {
            String rest = "…and " + hiddenGroups + " more groups of events not shown";
            summaries.add(rest);
            ObjectNode context = blocks.addObject();
            context.put("type", "context");
            context.putArray("elements").addObject().put("type", "mrkdwn").put("text", rest);
        }
        payload.put("text", joinWithin(summaries, SLACK_MAX_TEXT_CHARS));
        payload.set("blocks", blocks);
        return payload;
    }

    private static ObjectNode section(String headline, List<ServerEvent> members) {
        List<String> lines = new ArrayList<>();
        lines.add("*" + headline + "*");
        int listed = 0;
        int length = lines.get(0).length();
        for (ServerEvent e : members) {
            String line = "• " + longItem(e);
            // room is kept for the "and N more" line
            if (listed == SLACK_ITEMS_PER_GROUP || length + 1 + line.length() > SLACK_MAX_SECTION_CHARS - 40) {
                break;
            }
            lines.add(line);
            length += 1 + line.length();
            listed++;
        }
        if (listed < members.size()) {
            lines.add("…and " + (members.size() - listed) + " more");
        }
        ObjectNode block = NODES.objectNode();
        block.put("type", "section");
        block.putObject("text").put("type", "mrkdwn").put("text", String.join("\n", lines));
        return block;
    }

    private static String noun(ServerEvent.Type type, int count) {
        boolean one = count == 1;
        return switch (type) {
            case FINDING_NEW -> one ? "new finding" : "new findings";
            case FINDING_RESOLVED -> one ? "fixed finding" : "fixed findings";
            case PATCH_OVERDUE -> one ? "overdue patch" : "overdue patches";
            case SCAN_FAILED -> one ? "failed scan" : "failed scans";
        };
    }

    private static String shortItem(ServerEvent e) {
        ServerEvent.FindingDetails f = e.finding();
        if (f == null) {
            return escape(shorten(e.target(), MAX_NAME_CHARS));
        }
        return escape(shorten(f.vulnerabilityId(), MAX_NAME_CHARS)) + " ("
                + f.severity().name() + ") in "
                + escape(shorten(f.packageName(), MAX_NAME_CHARS)) + " "
                + escape(shorten(f.packageVersion(), MAX_NAME_CHARS));
    }

    private static String longItem(ServerEvent e) {
        ServerEvent.FindingDetails f = e.finding();
        String target = "target " + escape(shorten(e.target(), MAX_NAME_CHARS));
        if (f == null) {
            return target + ": " + escape(shorten(Objects.requireNonNullElse(e.message(), ""), MAX_MESSAGE_CHARS));
        }
        StringBuilder line = new StringBuilder(shortItem(e));
        if (f.fixedVersion() != null) {
            line.append(", fixed in ").append(escape(shorten(f.fixedVersion(), MAX_NAME_CHARS)));
        }
        if (f.patchDue() != null) {
            line.append(", patch due ").append(f.patchDue());
        }
        line.append(" — ").append(target);
        if (!f.title().isBlank()) {
            line.append(": ").append(escape(shorten(f.title(), MAX_TITLE_CHARS)));
        }
        return line.toString();
    }

    private static String more(int count) {
        return count > 0 ? " and " + count + " more" : "";
    }

    private static String joinWithin(List<String> lines, int limit) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (text.length() + line.length() + 1 > limit - 40) {
                if (text.length() == 0) {
                    text.append(cutEscaped(line, limit - 40));
                }
                text.append("…");
                break;
            }
            if (text.length() > 0) {
                text.append('\n');
            }
            text.append(line);
        }
        return text.toString();
    }

    /** At most {@code max} characters of escaped text, not ending inside an entity or a surrogate pair. */
    private static String cutEscaped(String escaped, int max) {
        if (escaped.length() <= max) {
            return escaped;
        }
        int end = max;
        int amp = escaped.lastIndexOf('&', end - 1);
        if (amp >= 0 && escaped.indexOf(';', amp) >= end) {
            end = amp;
        }
        if (end > 0 && Character.isHighSurrogate(escaped.charAt(end - 1))) {
            end--;
        }
        return escaped.substring(0, end);
    }

    /** Slack reads {@code <...>} as links and mentions ({@code <!channel>}) and {@code &} as entities. */
    static String escape(String untrusted) {
        StringBuilder out = new StringBuilder(untrusted.length());
        for (int i = 0; i < untrusted.length(); i++) {
            char c = untrusted.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                default -> out.append(Character.isISOControl(c) ? ' ' : c);
            }
        }
        return out.toString();
    }

    /** Cut before escaping, so that no entity is cut in half. */
    private static String shorten(@Nullable String text, int max) {
        if (text == null) {
            return "";
        }
        if (text.length() <= max) {
            return text;
        }
        int end = max;
        if (Character.isHighSurrogate(text.charAt(end - 1))) {
            end--;
        }
        return text.substring(0, end) + "…";
    }
}
