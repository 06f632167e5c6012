package dev.palisade.server;

import dev.palisade.match.Severity;
import dev.palisade.policy.PatchDeadline;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Turns what the server stored into webhook events: findings that appeared or came back
 * ({@code finding.new}), went away ({@code finding.resolved}), passed their patch deadline
 * ({@code patch.overdue}, once per finding), and scans the server ran that failed for good
 * ({@code scan.failed}); each event goes to every webhook that wants its type.
 */
final class Notifier implements InventoryService.ChangeListener {
    private final WebhookStore webhooks;
    private final WebhookDispatcher dispatcher;
    private final ServerStore store;
    private final ServerMetrics metrics;
    private final Clock clock;
    private final ServerLog log;

    Notifier(
            WebhookStore webhooks,
            WebhookDispatcher dispatcher,
            ServerStore store,
            ServerMetrics metrics,
            Clock clock,
            ServerLog log) {
        this.webhooks = webhooks;
        this.dispatcher = dispatcher;
        this.store = store;
        this.metrics = metrics;
        this.clock = clock;
        this.log = log;
    }

    @Override
    public void changed(List<ServerStore.Changes> changes) {
        Instant now = clock.instant();
        List<ServerEvent> events = new ArrayList<>();
        for (ServerStore.Changes c : changes) {
            for (ServerStore.ChangedFinding f : c.added()) {
                events.add(event(ServerEvent.Type.FINDING_NEW, now, c.application(), c.target(), c.model(), f));
            }
            for (ServerStore.ChangedFinding f : c.reopened()) {
                events.add(event(ServerEvent.Type.FINDING_NEW, now, c.application(), c.target(), c.model(), f));
            }
            for (ServerStore.ChangedFinding f : c.resolved()) {
                events.add(event(ServerEvent.Type.FINDING_RESOLVED, now, c.application(), c.target(), c.model(), f));
            }
        }
        send(events);
    }

    @Override
    public void scanFailed(String application, String target, String model, String reference, String message) {
        Instant now = clock.instant();
        send(List.of(ServerEvent.scanFailed(
                id("scan.failed", application, target, reference, now.toString()),
                now,
                application,
                target,
                model,
                message)));
    }

    /** Announces every open finding whose patch deadline has passed and that was not announced yet. */
    int announceOverdue() throws SQLException {
        Instant now = clock.instant();
        List<ServerEvent> events = new ArrayList<>();
        List<Long> announced = new ArrayList<>();
        for (ServerStore.DeadlineFinding d : store.unannouncedDeadlines()) {
            ServerStore.ChangedFinding f = d.finding();
            LocalDate due = PatchDeadline.due(Severity.valueOf(f.severity()), f.firstSeen(), f.kevDueDate())
                    .orElse(null);
            if (due != null && PatchDeadline.overdue(due, now)) {
                events.add(event(ServerEvent.Type.PATCH_OVERDUE, now, d.application(), d.target(), d.model(), f));
                announced.add(d.findingId());
            }
        }
        send(events);
        for (long id : announced) {
            store.announcedOverdue(id, now);
        }
        return events.size();
    }

    private void send(List<ServerEvent> events) {
        if (events.isEmpty()) {
            return;
        }
        List<WebhookStore.Registered> registered;
        try {
            registered = webhooks.active();
        } catch (SQLException e) {
            log.warn("cannot read the webhooks: " + events.size() + " events not sent: " + e.getMessage());
            return;
        }
        for (WebhookStore.Registered r : registered) {
            List<ServerEvent> wanted =
                    events.stream().filter(e -> r.webhook().wants(e.type())).toList();
            if (!wanted.isEmpty()) {
                WebhookDispatcher.Enqueued enqueued = dispatcher.submit(r.webhook(), wanted);
                if (enqueued.dropped() > 0) {
                    metrics.webhook("dropped");
                }
            }
        }
    }

    private static ServerEvent event(
            ServerEvent.Type type,
            Instant now,
            String application,
            String target,
            String model,
            ServerStore.ChangedFinding f) {
        Severity severity = Severity.valueOf(f.severity());
        return ServerEvent.finding(
                // the same change of the same finding always has the same id: receivers can drop a repeat
                id(type.wireName(), application, target, f.vulnerabilityId(), f.purl(), now.toString()),
                type,
                now,
                application,
                target,
                model,
                new ServerEvent.FindingDetails(
                        f.vulnerabilityId(),
                        severity,
                        f.purl(),
                        f.packageName(),
                        f.packageVersion(),
                        f.fixedVersion(),
                        f.title(),
                        f.firstSeen(),
                        PatchDeadline.due(severity, f.firstSeen(), f.kevDueDate())
                                .orElse(null)));
    }

    private static String id(String... parts) {
        try {
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            for (String part : parts) {
                sha256.update(part.getBytes(StandardCharsets.UTF_8));
                sha256.update((byte) 0);
            }
            return "evt_" + HexFormat.of().formatHex(sha256.digest()).substring(0, 32);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
