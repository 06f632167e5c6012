package dev.palisade.assess;

import static org.assertj.core.api.Assertions.assertThat;

import dev.palisade.inventory.Inventory;
import dev.palisade.scan.ScanResult;
import dev.palisade.scan.ScanTarget;
import dev.palisade.source.ArtifactDescription;
import dev.palisade.source.ArtifactKind;
import dev.palisade.source.DeploymentModel;
import dev.palisade.source.image.ImageSources;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The recommendation rules on evidence read from real files; the scans are empty results (the
 * pipeline itself is exercised by AssessIT on real artifacts).
 */
class AssessorTest {
    @TempDir
    Path base;

    private final List<ScanTarget> scanned = new ArrayList<>();

    private Assessor assessor(ModelData data) {
        return new Assessor(
                target -> {
                    scanned.add(target);
                    ArtifactKind kind =
                            target instanceof ScanTarget.RootFilesystem ? ArtifactKind.ROOTFS : ArtifactKind.FUNCTION;
                    return new ScanResult(
                            new Inventory(
                                    new ArtifactDescription(
                                            target.name(), kind, DeploymentModel.UNSPECIFIED, List.of(), null),
                                    null,
                                    List.of(),
                                    List.of()),
                            List.of(),
                            List.of(),
                            List.of(),
                            List.of(),
                            null,
                            List.of(),
                            List.of(),
                            Instant.parse("2026-01-01T00:00:00Z"),
                            false);
                },
                new EvidenceReader(),
                data,
                ImageSources.Platform.linux("amd64"));
    }

    private Path vm(boolean modules) throws IOException {
        Path root = base.resolve("vm");
        write(root.resolve("lib/systemd/system/ssh.service"), "[Service]\nExecStart=/usr/sbin/sshd -D\n");
        write(root.resolve("lib/systemd/system/e2scrub_reap.service"), "[Service]\nType=oneshot\n");
        Path wants = root.resolve("etc/systemd/system/multi-user.target.wants");
        Files.createDirectories(wants);
        Files.createSymbolicLink(wants.resolve("ssh.service"), Path.of("../../../../lib/systemd/system/ssh.service"));
        Files.createSymbolicLink(
                wants.resolve("e2scrub_reap.service"), Path.of("../../../../lib/systemd/system/e2scrub_reap.service"));
        write(
                root.resolve("etc/inetd.conf"),
                "# comment\ntelnet stream tcp nowait root /usr/sbin/tcpd /usr/sbin/telnetd\n");
        if (modules) {
            write(root.resolve("etc/modules"), "# /etc/modules\nbr_netfilter\n\n");
            write(root.resolve("etc/modules-load.d/wireguard.conf"), "wireguard # the VPN\n");
        }
        return root;
    }

    private Portfolio.Application application(String name, Portfolio.Deployment... deployments) {
        return new Portfolio.Application(name, null, List.of(deployments));
    }

    @Test
    void shouldKeepAVmWhoseEvidenceBlocksBothOtherModels() throws Exception {
        Path root = vm(true);
        Assessment assessment = assessor(ModelData.load())
                .assess(new Portfolio(List.of(
                        application("legacy", new Portfolio.Deployment(DeploymentModel.VM, root, null, null, null)))));

        Assessment.ApplicationAssessment legacy = assessment.applications().get(0);
        Assessment.ModelCheck function = check(legacy, DeploymentModel.FUNCTION);
        assertThat(function.blockers())
                .extracting(Assessment.Blocker::kind, Assessment.Blocker::detail, Assessment.Blocker::evidence)
                .containsExactlyInAnyOrder(
                        org.assertj.core.groups.Tuple.tuple(
                                "non-HTTP listener",
                                "listens on port 22, which is not HTTP: a function only answers invocations",
                                "etc/systemd/system/multi-user.target.wants/ssh.service (ssh)"),
                        org.assertj.core.groups.Tuple.tuple(
                                "non-HTTP listener",
                                "listens on port 23, which is not HTTP: a function only answers invocations",
                                "etc/inetd.conf (telnet)"),
                        org.assertj.core.groups.Tuple.tuple(
                                "long-running daemon",
                                "ssh is enabled at boot and keeps running: a function runs only per invocation",
                                "etc/systemd/system/multi-user.target.wants/ssh.service"));
        assertThat(function.unknown())
                .contains(
                        "package size: unknown (no function package)",
                        "runtime: unknown (no function package and template)");
        Assessment.ModelCheck container = check(legacy, DeploymentModel.CONTAINER);
        assertThat(container.blockers())
                .extracting(Assessment.Blocker::detail, Assessment.Blocker::evidence)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(
                                "loads the kernel module br_netfilter at boot: a container shares the host's kernel",
                                "etc/modules"),
                        org.assertj.core.groups.Tuple.tuple(
                                "loads the kernel module wireguard at boot: a container shares the host's kernel",
                                "etc/modules-load.d/wireguard.conf"));
        assertThat(legacy.recommendation().recommended()).isEqualTo(DeploymentModel.VM);
        assertThat(legacy.recommendation().summary()).isEqualTo("stay a vm: every more streamlined model is blocked");
        SecurityProfile profile = legacy.profiles().get(0);
        assertThat(profile.networkServices()).hasSize(2);
        assertThat(profile.daemons()).isEqualTo(1);
    }

    @Test
    void shouldRecommendAContainerWithoutInventingNumbersWhenThereIsNoImage() throws Exception {
        Path root = vm(false);
        Assessment assessment = assessor(ModelData.load())
                .assess(new Portfolio(List.of(
                        application("legacy", new Portfolio.Deployment(DeploymentModel.VM, root, null, null, null)))));

        Assessment.ApplicationAssessment legacy = assessment.applications().get(0);
        assertThat(check(legacy, DeploymentModel.CONTAINER).blockers()).isEmpty();
        assertThat(check(legacy, DeploymentModel.CONTAINER).unknown())
                .containsExactly(
                        "privileged mode, capabilities and host paths: unknown (no compose or Kubernetes file given)");
        assertThat(legacy.recommendation().recommended()).isEqualTo(DeploymentModel.CONTAINER);
        assertThat(legacy.recommendation().reduction()).isNull();
        assertThat(legacy.recommendation().summary())
                .isEqualTo("as a container: no container artifact to measure the reduction on");
        assertThat(assessment.ranking()).isEmpty();
    }

    @Test
    void shouldBlockAFunctionOverTheSizeLimitWithAnUnknownRuntimeAndWritesOutsideTmp() throws Exception {
        Path zip = base.resolve("fn.zip");
        zip(
                zip,
                Map.of(
                        "config/app.properties",
                        "app.data.dir=/var/lib/app\ncache.dir=/tmp/cache\nserver.port=8080\n",
                        "lib/big.bin",
                        "x".repeat(4096)));
        Path template = write(
                base.resolve("template.yaml"),
                """
                Resources:
                  Fn:
                    Type: AWS::Serverless::Function
                    Properties:
                      Runtime: cobol1.x
                      Handler: main
                """);
        ModelData shipped = ModelData.load();
        ModelData.FunctionLimits tiny = new ModelData.FunctionLimits(
                "AWS Lambda",
                100,
                1000,
                shipped.function().maxImageBytes(),
                shipped.function().runtimes(),
                shipped.function().httpPorts(),
                shipped.function().sources());
        ModelData data = new ModelData(shipped.layers(), shipped.models(), tiny);
        Portfolio.Deployment function = new Portfolio.Deployment(DeploymentModel.FUNCTION, zip, null, template, null);
        Portfolio.Deployment vm = new Portfolio.Deployment(DeploymentModel.VM, vm(false), null, null, null);
        Assessment assessment = assessor(data).assess(new Portfolio(List.of(application("app", vm, function))));

        Assessment.ModelCheck check = check(assessment.applications().get(0), DeploymentModel.FUNCTION);
        assertThat(check.blockers())
                .extracting(Assessment.Blocker::kind, Assessment.Blocker::evidence)
                .containsExactlyInAnyOrder(
                        org.assertj.core.groups.Tuple.tuple(
                                "writes outside /tmp", "config/app.properties: app.data.dir=/var/lib/app"),
                        org.assertj.core.groups.Tuple.tuple("package too large", zip.toString()),
                        org.assertj.core.groups.Tuple.tuple("package too large", zip.toString()),
                        org.assertj.core.groups.Tuple.tuple(
                                "runtime not supported", "template.yaml: Resources.Fn.Properties.Runtime"));
        // the function package is the evidence for the function: the VM's sshd is not held against it
        assertThat(check.blockers()).noneMatch(b -> b.kind().equals("long-running daemon"));
        assertThat(assessment.applications().get(0).recommendation().recommended())
                .isEqualTo(DeploymentModel.CONTAINER);
    }

    @Test
    void shouldScanAnArtifactSharedByTwoApplicationsOnce() throws Exception {
        Path zip = base.resolve("shared.zip");
        zip(zip, Map.of("lib/a.txt", "a"));
        Portfolio.Deployment function = new Portfolio.Deployment(DeploymentModel.FUNCTION, zip, null, null, null);
        Assessment assessment = assessor(ModelData.load())
                .assess(new Portfolio(List.of(application("one", function), application("two", function))));

        assertThat(assessment.applications()).hasSize(2);
        assertThat(scanned).hasSize(1);
        assertThat(assessment.applications().get(0).recommendation().summary())
                .isEqualTo("already a function: the most streamlined model");
    }

    private static Assessor.Measured measured(DeploymentModel model, Evidence evidence, int highVulnerabilities) {
        ModelData data = ModelData.load();
        List<SecurityProfile.Vulnerability> vulnerabilities = new ArrayList<>();
        for (int i = 0; i < highVulnerabilities; i++) {
            vulnerabilities.add(new SecurityProfile.Vulnerability(dev.palisade.match.Severity.HIGH, false, false));
        }
        SecurityProfile profile = SecurityProfile.of(
                model, model + "-target", List.of(), vulnerabilities, null, null, evidence, data.responsibility(model));
        return new Assessor.Measured(model, model + "-target", profile, evidence, null);
    }

    @Test
    void shouldRecommendNothingAndCountNothingThatOnlyInventoriesCannotShow() throws Exception {
        // a VM whose services were read (ssh, telnet) and a container known only by its inventory
        Evidence vmEvidence = new EvidenceReader().rootFilesystem(vm(false));
        Assessment assessment = Assessor.assess(
                List.of(new Assessor.MeasuredApplication(
                        "stored",
                        null,
                        List.of(
                                measured(DeploymentModel.VM, vmEvidence, 3),
                                measured(DeploymentModel.CONTAINER, Evidence.unknown(), 1)))),
                ModelData.load());

        Assessment.ApplicationAssessment stored = assessment.applications().get(0);
        SecurityProfile container = stored.profiles().get(1);
        assertThat(container.networkServices()).isNull();
        assertThat(container.hardeningFindings()).isNull();
        assertThat(container.secrets()).isNull();
        assertThat(container.daemons()).isNull();
        // the VM's sshd still blocks a function; the container is unknown: nothing of its host needs was read
        assertThat(check(stored, DeploymentModel.FUNCTION).blocked()).isTrue();
        Assessment.ModelCheck asContainer = check(stored, DeploymentModel.CONTAINER);
        assertThat(asContainer.blocked()).isFalse();
        assertThat(asContainer.examined()).isTrue(); // the VM's modules were read: none
        assertThat(stored.recommendation().recommended()).isEqualTo(DeploymentModel.CONTAINER);
        Assessment.Reduction reduction =
                Objects.requireNonNull(stored.recommendation().reduction());
        assertThat(reduction.vulnerabilities()).isEqualTo(2);
        assertThat(reduction.networkServices()).isNull();
        // the VM's 2 services (3 points each) are not counted as removed: the container's are unknown
        assertThat(reduction.riskScore()).isEqualTo(2 * 5);
        assertThat(stored.recommendation().summary())
                .isEqualTo(
                        "as a container: as many OS packages to patch, 2 fewer vulnerabilities, network services: unknown");
        assertThat(assessment.totals().networkServicesNow()).isEqualTo(2);
        assertThat(assessment.totals().networkServicesAfter()).isNull();

        // with nothing read but inventories, no model is free of blockers: they are unknown
        Assessment inventoriesOnly = Assessor.assess(
                List.of(new Assessor.MeasuredApplication(
                        "stored",
                        null,
                        List.of(
                                measured(DeploymentModel.VM, Evidence.unknown(), 3),
                                measured(DeploymentModel.CONTAINER, Evidence.unknown(), 1)))),
                ModelData.load());
        Assessment.ApplicationAssessment unknown =
                inventoriesOnly.applications().get(0);
        assertThat(unknown.checks()).allSatisfy(c -> {
            assertThat(c.blocked()).isFalse();
            assertThat(c.examined()).isFalse();
        });
        assertThat(check(unknown, DeploymentModel.FUNCTION).unknown())
                .contains(
                        "listening ports: unknown (only inventories were measured, not the artifact's files)",
                        "long-running daemons: unknown (no VM root file system read to show the services enabled at boot)",
                        "writes outside /tmp: unknown (only inventories were measured, not the artifact's files)");
        assertThat(unknown.recommendation().recommended()).isEqualTo(DeploymentModel.VM);
        assertThat(unknown.recommendation().reduction()).isNull();
    }

    private static Assessment.ModelCheck check(Assessment.ApplicationAssessment a, DeploymentModel model) {
        return a.checks().stream().filter(c -> c.target() == model).findFirst().orElseThrow();
    }

    private static Path write(Path file, String text) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
        return file;
    }

    private static void zip(Path file, Map<String, String> entries) throws IOException {
        try (OutputStream out = Files.newOutputStream(file);
                ZipOutputStream zip = new ZipOutputStream(out)) {
            for (Map.Entry<String, String> e : new java.util.TreeMap<>(entries).entrySet()) {
                zip.putNextEntry(new ZipEntry(e.getKey()));
                zip.write(e.getValue().getBytes(StandardCharsets.UTF_8));
                zip.closeEntry();
            }
        }
    }
}
