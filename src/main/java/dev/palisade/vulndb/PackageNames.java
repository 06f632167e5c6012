package dev.palisade.vulndb;

import java.util.Locale;

/** How package names are keyed in the database, so that both sides of a lookup spell them alike. */
public final class PackageNames {
    private PackageNames() {}

    public static String key(String ecosystem, String name) {
        if (ecosystem.equals("PyPI")) {
            return name.toLowerCase(Locale.ROOT).replaceAll("[-_.]+", "-");
        }
        return name;
    }
}
