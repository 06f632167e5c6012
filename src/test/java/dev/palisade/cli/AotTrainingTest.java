package dev.palisade.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The class list a training run loads is current: rerun bench/aot-class-list.sh when this fails. The JDK's own
 * classes are left out of the check: the list is made on the newest JDK, tests run on JDK 17 too.
 */
class AotTrainingTest {
    @Test
    void shouldFindEveryClassOfPalisadeAndItsLibrariesTheListNames() throws Exception {
        List<String> listed;
        try (InputStream list = AotTraining.class.getResourceAsStream(AotTraining.CLASS_LIST)) {
            assertThat(list).as("the class list in the jar").isNotNull();
            listed = new BufferedReader(new InputStreamReader(list, StandardCharsets.UTF_8))
                    .lines()
                    .toList();
        }
        List<String> ours = listed.stream()
                .filter(name -> !name.startsWith("java.")
                        && !name.startsWith("javax.")
                        && !name.startsWith("jdk.")
                        && !name.startsWith("sun.")
                        && !name.startsWith("com.sun."))
                .toList();
        List<String> missing = ours.stream().filter(name -> !loadable(name)).toList();

        int loaded = AotTraining.loadListedClasses();

        assertThat(ours).hasSizeGreaterThan(1000).contains("dev.palisade.catalog.java.JavaArchiveCataloger");
        assertThat(missing).as("listed but not found").isEmpty();
        assertThat(loaded).isGreaterThanOrEqualTo(ours.size());
    }

    private static boolean loadable(String name) {
        try {
            Class.forName(name, false, AotTrainingTest.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }
}
