package dev.palisade.source;

/** The kinds of artifact a source can open. */
public enum ArtifactKind {
    /** A container image: docker-archive, OCI layout or OCI archive. */
    IMAGE,
    /** A root filesystem: a VM disk, a chroot, a live host's {@code /}. */
    ROOTFS,
    /** A project directory: sources, lock files, build output. */
    DIRECTORY,
    /** A serverless deployment package: a zip or a directory. */
    FUNCTION,
    /** An SBOM another tool wrote (CycloneDX or SPDX JSON): packages without files. */
    SBOM,
    /** Configuration files checked alone (a file or a directory of them): no packages. */
    CONFIG
}
