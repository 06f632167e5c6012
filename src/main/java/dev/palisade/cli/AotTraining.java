package dev.palisade.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

/**
 * The launcher makes each command's start-up archive from the classes its first run loads. A first scan of a small
 * image never loads the classes that read jars, POMs or lock files, and every later scan would then load them from
 * the jar again (444 classes in a cold jvm-app scan, 0.3 s of CPU). In the launcher's training run of a scan command
 * ({@value #PROPERTY}), the classes representative scans load ({@code bench/aot-class-list.sh}) are loaded as well,
 * without being initialised, so that the archive holds them whatever the first scan read.
 */
final class AotTraining {
    static final String PROPERTY = "palisade.aot.training";
    static final String CLASS_LIST = "aot-training-classes.txt";

    private AotTraining() {}

    static boolean wanted() {
        return Boolean.getBoolean(PROPERTY);
    }

    /** Loads every class the list names that exists; returns how many were loaded. */
    static int loadListedClasses() {
        ClassLoader loader = AotTraining.class.getClassLoader();
        int loaded = 0;
        try (InputStream list = AotTraining.class.getResourceAsStream(CLASS_LIST)) {
            if (list == null) {
                return 0;
            }
            BufferedReader lines = new BufferedReader(new InputStreamReader(list, StandardCharsets.UTF_8));
            for (String name = lines.readLine(); name != null; name = lines.readLine()) {
                try {
                    Class.forName(name.strip(), false, loader);
                    loaded++;
                } catch (ClassNotFoundException | LinkageError e) {
                    // renamed or removed since the list was made, or not loadable here: the archive goes without it
                }
            }
        } catch (IOException e) {
            // a training run that loads fewer classes only makes a smaller archive
        }
        return loaded;
    }
}
