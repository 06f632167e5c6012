package dev.palisade.source;

/**
 * The deployment model an artifact belongs to. The concerns nest: a container carries every
 * function concern plus its own, a VM every container concern plus its own.
 */
public enum DeploymentModel {
    FUNCTION,
    CONTAINER,
    VM,
    /** Source code or build output not yet tied to a model. */
    UNSPECIFIED
}
