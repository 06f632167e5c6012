package dev.palisade.checks;

/**
 * The seccomp profile a workload (a Kubernetes container, a compose service) runs under, as its
 * configuration names it.
 *
 * @param path the configuration file
 * @param keyPath where in it
 * @param workload the workload's name as findings show it ({@code Deployment/web container app})
 * @param profile the profile named: kubelet-relative for Kubernetes' {@code Localhost}, a path for compose
 *     (relative to the compose file); empty unless {@link Kind#LOCALHOST}
 */
public record SeccompReference(String path, String keyPath, String workload, Kind kind, String profile) {
    public enum Kind {
        /** A profile file: Kubernetes {@code Localhost}, compose {@code security_opt: seccomp:FILE}. */
        LOCALHOST,
        /** The container runtime's default profile. */
        RUNTIME_DEFAULT,
        /** No seccomp filter. */
        UNCONFINED,
        /**
         * Nothing set: Kubernetes runs the container unconfined unless the kubelet's {@code seccompDefault}
         * is on.
         */
        UNSET
    }
}
