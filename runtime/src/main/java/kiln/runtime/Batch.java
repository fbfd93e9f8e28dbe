package kiln.runtime;

/**
 * A mini-batch, allocated once at the largest batch size and refilled in place each step so
 * that training allocates nothing. Rows [0, size) are valid.
 */
public final class Batch {
    /** Inputs, [capacity, inputSize] row-major. */
    public final float[] x;
    /** Class indices, [capacity, labelsPerSample]: used by classification losses. */
    public final int[] labels;
    /** Dense targets, [capacity, targetSize]: used by regression and binary losses. */
    public final float[] targets;
    public final int capacity;
    public final int inputSize;
    public final int targetSize;
    /** Class labels per row: 1, or the time steps of a model that classifies every step ({@link SequenceModel}). */
    public final int labelsPerSample;
    public int size;

    public Batch(int capacity, int inputSize, int targetSize) {
        this(capacity, inputSize, targetSize, 1);
    }

    /** A batch whose rows carry {@code labelsPerSample} class labels each: {@link #labels} is [capacity, labelsPerSample]. */
    public Batch(int capacity, int inputSize, int targetSize, int labelsPerSample) {
        this.capacity = capacity;
        this.inputSize = inputSize;
        this.targetSize = targetSize;
        this.labelsPerSample = labelsPerSample;
        this.x = new float[capacity * inputSize];
        this.labels = new int[capacity * labelsPerSample];
        this.targets = new float[capacity * Math.max(targetSize, 0)];
    }
}
