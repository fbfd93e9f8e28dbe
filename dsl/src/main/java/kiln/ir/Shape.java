package kiln.ir;

import java.util.Arrays;

/** The static shape of one sample flowing along an edge; the batch axis is implicit and dynamic. */
public final class Shape {
    private final int[] dims;

    private Shape(int[] dims) {
        this.dims = dims;
    }

    public static Shape of(int... dims) {
        return new Shape(dims.clone());
    }

    public int rank() {
        return dims.length;
    }

    public int dim(int axis) {
        return dims[axis];
    }

    public int[] dims() {
        return dims.clone();
    }

    /** Number of floats per sample. */
    public int size() {
        int n = 1;
        for (int d : dims) n *= d;
        return n;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Shape s && Arrays.equals(dims, s.dims);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(dims);
    }

    /** Written as in error messages and shape comments: {@code [1, 28, 28]}. */
    @Override
    public String toString() {
        return Arrays.toString(dims);
    }
}
