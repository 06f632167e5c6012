import java.util.Arrays;

/**
 * Runs one Palisade command several times in one JVM and prints each run's wall time: the first pays class loading,
 * the interpreter and the JIT's compiling like any fresh process (less the JVM's own start), the later ones show what
 * the same work costs once the code is compiled. Used by bench/repeat-in-one-jvm.sh.
 *
 *   java -cp target/palisade.jar bench/RepeatInOneJvm.java RUNS palisade-arguments...
 */
public final class RepeatInOneJvm {
    public static void main(String[] args) throws Exception {
        int runs = Integer.parseInt(args[0]);
        String[] command = Arrays.copyOfRange(args, 1, args.length);
        for (int i = 1; i <= runs; i++) {
            long start = System.nanoTime();
            int exit = dev.palisade.cli.Main.run(command);
            long millis = (System.nanoTime() - start) / 1_000_000;
            System.err.printf("run %d: %d ms, exit %d%n", i, millis, exit);
            if (exit != 0) {
                System.exit(exit);
            }
        }
    }
}
