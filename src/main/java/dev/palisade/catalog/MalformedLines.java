package dev.palisade.catalog;

/**
 * Reports the malformed lines of one file: each of the first few, then how many more there were, so
 * that a file of garbage gives a handful of problems rather than one per line.
 */
public final class MalformedLines {
    static final int REPORTED_ONE_BY_ONE = 10;

    private final String path;
    private final CatalogContext context;
    private int count;
    private int firstUnreported;

    public MalformedLines(String path, CatalogContext context) {
        this.path = path;
        this.context = context;
    }

    public void add(int line, String reason) {
        count++;
        if (count <= REPORTED_ONE_BY_ONE) {
            context.problem(path, reason);
        } else if (count == REPORTED_ONE_BY_ONE + 1) {
            firstUnreported = line;
        }
    }

    /** Reports how many malformed lines were not reported one by one; call once the file is read. */
    public void finish() {
        if (count > REPORTED_ONE_BY_ONE) {
            context.problem(
                    path,
                    (count - REPORTED_ONE_BY_ONE) + " more malformed lines, from line " + firstUnreported
                            + " on, were not read either");
        }
    }
}
