package kiln.runtime.analysis;

/** The shape checks of data given as float rows [n, d] row-major, with one-line messages. */
final class DataRows {
    private DataRows() {}

    /** Checks that {@code rows} holds exactly n rows of d floats, n >= 1 and d >= 1. */
    static void check(float[] rows, int n, int d) {
        check("rows", rows, n, d);
    }

    /** As {@link #check(float[], int, int)}, naming the array {@code what} in the message. */
    static void check(String what, float[] rows, int n, int d) {
        if (rows == null) throw new NullPointerException(what);
        if (n < 1) throw new IllegalArgumentException(what + ": need >= 1 rows, got " + n);
        if (d < 1) throw new IllegalArgumentException(what + ": need >= 1 columns, got " + d);
        if (rows.length != (long) n * d) {
            throw new IllegalArgumentException(what + ": " + n + " rows of " + d + " need " + (long) n * d + " floats, got " + rows.length);
        }
    }
}
