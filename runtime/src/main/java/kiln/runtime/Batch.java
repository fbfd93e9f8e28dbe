package kiln.runtime;

/**
 * A mini-batch, allocated once at the largest batch size and refilled in place each step so
 * that training allocates nothing. Rows [0, size) are valid.
 */
public final class Batch {
    /** Inputs, [capacity, inputSize] row-major. */
    public final float[] x;
    /** Class indices, [capacity]: used by classification losses. */
    public final int[] labels;
    /** Dense targets, [capacity, targetSize]: used by regression and binary losses. */
    public final float[] targets;
    public final int capacity;
    public final int inputSize;
    public final int targetSize;
    public int size;

    public Batch(int capacity, int inputSize, int targetSize) {
        this.capacity = capacity;
        this.inputSize = inputSize;
        this.targetSize = targetSize;
        this.x = new float[capacity * inputSize];
        this.labels = new int[capacity];
        this.targets = new float[capacity * Math.max(targetSize, 0)];
    }
}
