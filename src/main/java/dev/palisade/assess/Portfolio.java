package dev.palisade.assess;

import dev.palisade.source.DeploymentModel;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/** The applications of a portfolio file, each with the artifacts it has per deployment model. */
public record Portfolio(List<Application> applications) {
    public Portfolio {
        applications = List.copyOf(applications);
    }

    /** One application; at most one deployment per model. */
    public record Application(String name, @Nullable String owner, List<Deployment> deployments) {
        public Application {
            Objects.requireNonNull(name, "name");
            deployments = List.copyOf(deployments);
        }

        public Optional<Deployment> deployment(DeploymentModel model) {
            return deployments.stream().filter(d -> d.model() == model).findFirst();
        }
    }

    /**
     * One artifact of an application.
     *
     * @param artifact the root file system (vm), the image tar or OCI layout (container) or the
     *     package (function), resolved against the portfolio file's directory
     * @param imageReference for a container given as a registry reference instead of a file
     * @param template the function's SAM/CloudFormation template or serverless.yml, if given
     * @param config compose or Kubernetes files (a file or a directory) describing how a container runs, if given
     */
    public record Deployment(
            DeploymentModel model,
            @Nullable Path artifact,
            @Nullable String imageReference,
            @Nullable Path template,
            @Nullable Path config) {
        public Deployment {
            Objects.requireNonNull(model, "model");
            if ((artifact == null) == (imageReference == null)) {
                throw new IllegalArgumentException("a deployment names exactly one artifact");
            }
        }

        /** How the artifact is named in reports: its path or its reference. */
        public String name() {
            return artifact != null ? artifact.toString() : Objects.requireNonNull(imageReference);
        }
    }
}
