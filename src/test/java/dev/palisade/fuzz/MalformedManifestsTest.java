package dev.palisade.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import dev.palisade.checks.CheckCatalog;
import dev.palisade.checks.ConfigScanner;
import dev.palisade.checks.Misconfiguration;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import org.junit.jupiter.api.Test;

/**
 * Found by fuzzing: a Kubernetes object whose {@code containers}, {@code volumes} or {@code items}
 * is a mapping where a list belongs threw a NullPointerException out of the config scan. Such an
 * object is skipped; the other objects of the file are still checked.
 */
class MalformedManifestsTest {
    @Test
    void shouldCheckTheOtherObjectsWhenAListIsAMapping() {
        String manifest = String.join(
                "\n",
                "apiVersion: v1",
                "kind: Pod",
                "metadata: {name: odd}",
                "spec:",
                "  containers: {name: app, image: nginx}",
                "  volumes: {name: docker}",
                "---",
                "apiVersion: v1",
                "kind: List",
                "items: {first: {apiVersion: v1, kind: Pod}}",
                "---",
                "apiVersion: v1",
                "kind: Pod",
                "metadata: {name: root}",
                "spec:",
                "  containers:",
                "    - name: app",
                "      image: nginx@sha256:" + "a".repeat(64),
                "      securityContext: {privileged: true}",
                "");
        MemoryTree tree = new MemoryTree().file("deploy/pods.yaml", manifest.getBytes(StandardCharsets.UTF_8), 0644);

        ConfigScanner.Result result =
                new ConfigScanner(CheckCatalog.load(), 1024 * 1024, LocalDate.of(2026, 1, 1)).scan(tree);

        assertThat(result.misconfigurations())
                .filteredOn(m -> m.check().id().equals("PAL-3001"))
                .extracting(Misconfiguration::keyPath)
                .containsExactly("[2]spec.containers[0].securityContext.privileged");
    }
}
