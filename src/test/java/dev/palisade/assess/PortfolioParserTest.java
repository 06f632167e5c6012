package dev.palisade.assess;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.palisade.source.DeploymentModel;
import dev.palisade.testing.Cli;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PortfolioParserTest {
    @TempDir
    Path base;

    private Portfolio parse(String yaml) throws PortfolioException {
        return new PortfolioParser(base).parse(yaml.getBytes(StandardCharsets.UTF_8));
    }

    private void fails(String yaml, String message) {
        assertThatThrownBy(() -> parse(yaml))
                .isInstanceOf(PortfolioException.class)
                .hasMessage(message);
    }

    @Test
    void shouldReadTheIssuesShapeWithPathsRelativeToThePortfolio() throws Exception {
        Files.createFile(base.resolve("shop.tar"));
        Portfolio portfolio = parse(
                """
                applications:
                  - name: shop
                    owner: team-payments
                    deployments:
                      - model: vm
                        rootfs: /mnt/shop-vm
                      - model: container
                        image: shop.tar
                      - model: function
                        package: lambda/shop.zip
                        template: template.yaml
                  - name: api
                    deployments:
                      - model: container
                        image: registry.example:5000/api:1.2
                """);
        Portfolio.Application shop = portfolio.applications().get(0);
        assertThat(shop.owner()).isEqualTo("team-payments");
        assertThat(shop.deployment(DeploymentModel.VM).orElseThrow().artifact()).isEqualTo(Path.of("/mnt/shop-vm"));
        assertThat(shop.deployment(DeploymentModel.CONTAINER).orElseThrow().artifact())
                .isEqualTo(base.resolve("shop.tar"));
        Portfolio.Deployment function =
                shop.deployment(DeploymentModel.FUNCTION).orElseThrow();
        assertThat(function.artifact()).isEqualTo(base.resolve("lambda/shop.zip"));
        assertThat(function.template()).isEqualTo(base.resolve("template.yaml"));
        Portfolio.Deployment api = portfolio
                .applications()
                .get(1)
                .deployment(DeploymentModel.CONTAINER)
                .orElseThrow();
        assertThat(api.artifact()).isNull();
        assertThat(api.imageReference()).isEqualTo("registry.example:5000/api:1.2");
        assertThat(portfolio.applications().get(1).owner()).isNull();
    }

    @Test
    void shouldRefuseUnknownKeysAtEveryLevel() {
        fails("applications: []\nextra: 1\n", "the top level: unknown key 'extra' (expected applications)");
        fails(
                """
                applications:
                  - name: shop
                    team: x
                    deployments: [{model: vm, rootfs: /x}]
                """,
                "applications[0]: unknown key 'team' (expected deployments, name, owner)");
        fails(
                """
                applications:
                  - name: shop
                    deployments:
                      - model: function
                        package: a.zip
                        templat: t.yaml
                """,
                "applications[0].deployments[0] (model function): unknown key 'templat' (expected model, package, template)");
        fails(
                """
                applications:
                  - name: shop
                    deployments:
                      - model: vm
                        image: a.tar
                """,
                "applications[0].deployments[0] (model vm): unknown key 'image' (expected model, rootfs)");
    }

    @Test
    void shouldRefuseUnknownModelsMissingArtifactsAndDuplicates() {
        fails(
                """
                applications:
                  - name: shop
                    deployments: [{model: kubernetes, image: a.tar}]
                """,
                "applications[0].deployments[0]: unknown model 'kubernetes' (use vm, container or function)");
        fails(
                """
                applications:
                  - name: shop
                    deployments: [{model: vm}]
                """,
                "applications[0].deployments[0]: 'rootfs' is required");
        fails(
                """
                applications:
                  - name: shop
                    deployments: [{model: vm, rootfs: /a}, {model: vm, rootfs: /b}]
                """,
                "applications[0].deployments[1]: a second 'vm' deployment for shop (one artifact per model)");
        fails(
                """
                applications:
                  - name: shop
                    deployments: [{model: vm, rootfs: /a}]
                  - name: shop
                    deployments: [{model: vm, rootfs: /b}]
                """,
                "applications[1]: the name 'shop' is used twice");
        fails(
                """
                applications:
                  - name: shop
                    deployments: [{model: container, image: "no such:thing here"}]
                """,
                "applications[0].deployments[0]: image 'no such:thing here': no such file, and not an image reference (HOST[:PORT]/NAME[:TAG|@DIGEST])");
        fails("applications: []\n", "'applications' must be a non-empty list");
        fails("- a\n- b\n", "expected a mapping with 'applications' at the top");
        fails(
                """
                applications:
                  - name: [shop]
                    deployments: [{model: vm, rootfs: /a}]
                """,
                "applications[0]: 'name' must be a non-empty text");
        fails(
                """
                applications:
                  - name: shop
                """,
                "applications[0] (shop): 'deployments' must be a non-empty list");
    }

    @Test
    void shouldExitWithTwoAndSayWhereOnABadPortfolio() throws Exception {
        Path file = base.resolve("portfolio.yaml");
        Files.writeString(file, "applications:\n  - name: shop\n    deployments: [{model: mainframe, rootfs: /a}]\n");
        Cli.Result result = Cli.run("assess", file.toString());
        assertThat(result.exit()).isEqualTo(2);
        assertThat(result.err())
                .isEqualTo(
                        "palisade: error: " + file
                                + ": applications[0].deployments[0]: unknown model 'mainframe' (use vm, container or function)\n");
        assertThat(result.out()).isEmpty();
    }
}
