package dev.palisade.inventory;

import java.util.Optional;

/**
 * The package ecosystems Palisade knows, with their Package URL type and the ecosystem name OSV
 * uses for them (OS ecosystems take a release suffix there, such as {@code Debian:12}).
 */
public enum Ecosystem {
    DEBIAN("deb", "Debian", true),
    ALPINE("apk", "Alpine", true),
    RPM("rpm", "Red Hat", true),
    MAVEN("maven", "Maven", false),
    NPM("npm", "npm", false),
    PYPI("pypi", "PyPI", false),
    GO("golang", "Go", false),
    CARGO("cargo", "crates.io", false),
    GEM("gem", "RubyGems", false),
    COMPOSER("composer", "Packagist", false),
    NUGET("nuget", "NuGet", false);

    private final String purlType;
    private final String osvName;
    private final boolean operatingSystem;

    Ecosystem(String purlType, String osvName, boolean operatingSystem) {
        this.purlType = purlType;
        this.osvName = osvName;
        this.operatingSystem = operatingSystem;
    }

    public String purlType() {
        return purlType;
    }

    public String osvName() {
        return osvName;
    }

    public boolean isOperatingSystem() {
        return operatingSystem;
    }

    public static Optional<Ecosystem> fromPurlType(String type) {
        for (Ecosystem e : values()) {
            if (e.purlType.equals(type)) {
                return Optional.of(e);
            }
        }
        return Optional.empty();
    }
}
