package kiln.runtime;

import java.util.Arrays;
import java.util.List;

/**
 * A mini-batch, allocated once at the largest batch size and refilled in place each step so
 * that training allocates nothing. Rows [0, size) are valid.
 *
 * <p>A batch holds one array per model input, named as the model names its inputs
 * ({@link #forModel}); {@link #x} is the first. A batch made with a bare input size has one input
 * without a name, which feeds a model's only input whatever that is called.
 */
public final class Batch {
    /** The first input, [capacity, inputSize] row-major: the same array as {@code inputs[0]}. */
    public final float[] x;
    /** Every input, [capacity, inputSizes[k]] row-major, in the order of {@link #inputNames}. */
    public final float[][] inputs;
    /** The inputs' names; a single unnamed input has the name null. */
    public final List<String> inputNames;
    /** Floats per row of each input. */
    private final int[] inputSizes;
    /** Class indices, [capacity, labelsPerSample]: used by classification losses. */
    public final int[] labels;
    /** Dense targets, [capacity, targetSize]: used by regression and binary losses. */
    public final float[] targets;
    public final int capacity;
    /** Floats per row of the first input. */
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
        this(capacity, Arrays.asList((String) null), new int[] {inputSize}, targetSize, labelsPerSample);
    }

    /** A batch of named inputs of the given sizes per row. */
    public Batch(int capacity, List<String> inputNames, int[] inputSizes, int targetSize, int labelsPerSample) {
        if (capacity < 1) throw new IllegalArgumentException("a batch needs room for at least 1 row, got " + capacity);
        if (inputNames.size() != inputSizes.length || inputSizes.length == 0) {
            throw new IllegalArgumentException(inputNames.size() + " input names for " + inputSizes.length + " input sizes");
        }
        this.capacity = capacity;
        this.inputNames = java.util.Collections.unmodifiableList(new java.util.ArrayList<>(inputNames));
        this.inputSizes = inputSizes.clone();
        this.inputs = new float[inputSizes.length][];
        for (int k = 0; k < inputSizes.length; k++) inputs[k] = new float[Math.multiplyExact(capacity, inputSizes[k])];
        this.x = inputs[0];
        this.inputSize = inputSizes[0];
        this.targetSize = targetSize;
        this.labelsPerSample = labelsPerSample;
        this.labels = new int[Math.multiplyExact(capacity, labelsPerSample)];
        this.targets = new float[Math.multiplyExact(capacity, Math.max(targetSize, 0))];
    }

    /**
     * A batch with room for {@code capacity} rows of {@code model}'s inputs (by name) and of its
     * labels or targets: one label per step for a per-step classifier, else one per row.
     */
    public static Batch forModel(CompiledModel model, int capacity) {
        List<String> names = model.inputNames();
        int[] sizes = new int[names.size()];
        for (int k = 0; k < sizes.length; k++) sizes[k] = model.inputSize(names.get(k));
        int labels = model instanceof SequenceModel s ? s.labelsPerSample() : 1;
        return new Batch(capacity, names, sizes, model.targetSize(), labels);
    }

    /** Floats per row of input {@code k}. */
    public int inputSize(int k) {
        return inputSizes[k];
    }

    /** The position of the input called {@code name}, or -1; a single unnamed input answers to any name. */
    public int indexOf(String name) {
        if (inputs.length == 1 && inputNames.get(0) == null) return 0;
        return inputNames.indexOf(name);
    }

    /** The array of the input called {@code name}. */
    public float[] input(String name) {
        int k = indexOf(name);
        if (k < 0) throw new IllegalArgumentException("the batch has no input '" + name + "'; it has " + inputNames);
        return inputs[k];
    }
}
