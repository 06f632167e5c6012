package dev.palisade.source.image;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** The wire shapes of docker-archive and OCI image files. Nothing outside this package sees them. */
final class ImageJson {
    private ImageJson() {}

    /** One element of a docker-archive {@code manifest.json}. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record DockerArchiveManifest(
            @JsonProperty("Config") @Nullable String config,
            @JsonProperty("RepoTags") @Nullable List<String> repoTags,
            @JsonProperty("Layers") @Nullable List<String> layers) {}

    @JsonIgnoreProperties(ignoreUnknown = true)
    record Descriptor(
            @Nullable String mediaType,
            @Nullable String digest,
            long size,
            @Nullable Platform platform,
            @Nullable Map<String, String> annotations) {}

    @JsonIgnoreProperties(ignoreUnknown = true)
    record Platform(@Nullable String architecture, @Nullable String os, @Nullable String variant) {}

    /** An OCI image index or a Docker manifest list. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record Index(int schemaVersion, @Nullable String mediaType, @Nullable List<Descriptor> manifests) {}

    /** An OCI image manifest or a Docker schema 2 manifest. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record Manifest(
            int schemaVersion,
            @Nullable String mediaType,
            @Nullable Descriptor config,
            @Nullable List<Descriptor> layers,
            @Nullable List<Descriptor> manifests) {}

    @JsonIgnoreProperties(ignoreUnknown = true)
    record Config(
            @Nullable String architecture,
            @Nullable String os,
            @Nullable String created,
            @Nullable ContainerConfig config,
            @Nullable RootFs rootfs,
            @Nullable List<History> history) {}

    @JsonIgnoreProperties(ignoreUnknown = true)
    record ContainerConfig(
            @JsonProperty("User") @Nullable String user,
            @JsonProperty("Env") @Nullable List<String> env,
            @JsonProperty("Entrypoint") @Nullable List<String> entrypoint,
            @JsonProperty("Cmd") @Nullable List<String> cmd,
            @JsonProperty("WorkingDir") @Nullable String workingDir,
            @JsonProperty("ExposedPorts") @Nullable Map<String, Object> exposedPorts,
            @JsonProperty("Volumes") @Nullable Map<String, Object> volumes,
            @JsonProperty("Labels") @Nullable Map<String, String> labels,
            @JsonProperty("StopSignal") @Nullable String stopSignal,
            @JsonProperty("Healthcheck") @Nullable Map<String, Object> healthcheck) {}

    @JsonIgnoreProperties(ignoreUnknown = true)
    record RootFs(@Nullable String type, @JsonProperty("diff_ids") @Nullable List<String> diffIds) {}

    @JsonIgnoreProperties(ignoreUnknown = true)
    record History(
            @Nullable String created,
            @JsonProperty("created_by") @Nullable String createdBy,
            @Nullable String comment,
            @Nullable String author,
            @JsonProperty("empty_layer") boolean emptyLayer) {}
}
