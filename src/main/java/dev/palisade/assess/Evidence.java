package dev.palisade.assess;

import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What an artifact shows about how the application runs, beyond the scan's inventory and findings:
 * each item names the file or setting it was read from. A null list or value means the artifact
 * cannot show it ("unknown"); an empty list means it was looked for and not found.
 *
 * @param services services enabled at boot (a VM's systemd, SysV and inetd configuration); null when not a VM
 * @param listeningPorts ports the application or its services listen on: a VM's network services, an
 *     image's EXPOSE, a listening port set in a function package's configuration files; null when the
 *     artifact was not read (a server holds only inventories)
 * @param kernelModules modules loaded at boot ({@code etc/modules}, {@code etc/modules-load.d}); null when not a VM
 * @param writablePaths places outside {@code /tmp} the application writes to: an image's VOLUME, a
 *     directory or file path set in a package's configuration files; null when the artifact was not read
 * @param hostAccess settings of compose or Kubernetes files that need the host: privileged mode,
 *     capabilities, host paths, host namespaces; null when no such file was given
 * @param runtime the function runtime its template names; null when there is no template
 * @param zippedBytes the deployment package's size as uploaded; null when not a zip
 * @param unzippedBytes the unpacked size of the package or the image; null when unknown
 * @param runsAsRoot the image's configured user is root; null when not an image
 */
public record Evidence(
        @Nullable List<Service> services,
        @Nullable List<Observation> listeningPorts,
        @Nullable List<Observation> kernelModules,
        @Nullable List<Observation> writablePaths,
        @Nullable List<Observation> hostAccess,
        @Nullable Observation runtime,
        @Nullable Long zippedBytes,
        @Nullable Long unzippedBytes,
        @Nullable Observation runsAsRoot) {
    public Evidence {
        services = services == null ? null : List.copyOf(services);
        listeningPorts = listeningPorts == null ? null : List.copyOf(listeningPorts);
        kernelModules = kernelModules == null ? null : List.copyOf(kernelModules);
        writablePaths = writablePaths == null ? null : List.copyOf(writablePaths);
        hostAccess = hostAccess == null ? null : List.copyOf(hostAccess);
    }

    /** A value and the file or setting it was read from. */
    public record Observation(String value, String source) {
        public Observation {
            Objects.requireNonNull(value, "value");
            Objects.requireNonNull(source, "source");
        }
    }

    /**
     * A service enabled at boot.
     *
     * @param ports the ports it listens on by default; empty when it is not a known network service
     * @param daemon it keeps running (anything but a systemd {@code Type=oneshot} unit)
     * @param source the link or configuration file that enables it
     */
    public record Service(String name, List<Integer> ports, boolean daemon, String source) {
        public Service {
            Objects.requireNonNull(name, "name");
            ports = List.copyOf(ports);
            Objects.requireNonNull(source, "source");
        }

        public boolean network() {
            return !ports.isEmpty();
        }
    }

    /** An artifact nothing more is known about than its scan: everything here is unknown. */
    public static Evidence unknown() {
        return new Evidence(null, null, null, null, null, null, null, null, null);
    }
}
