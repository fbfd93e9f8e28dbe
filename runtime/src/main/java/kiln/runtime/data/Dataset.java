package kiln.runtime.data;

import java.util.Arrays;
import kiln.runtime.Batch;
import kiln.runtime.CompiledModel;
import kiln.runtime.TargetKind;

/**
 * Samples in memory: inputs x [size, inputSize] row-major, and either class labels [size] (for
 * classification) or dense targets [size, targetSize] (for binary and regression losses).
 *
 * <p>The accessors return the arrays themselves, not copies, so that batching can read them without
 * allocating; treat them as read-only.
 */
public final class Dataset {
    private final String name;
    private final float[] x;
    private final int inputSize;
    private final int[] labels;
    private final float[] targets;
    private final int targetSize;
    private final int size;
    private final ImageAugmentation augmentation;

    private Dataset(String name, float[] x, int inputSize, int[] labels, float[] targets, int targetSize) {
        this(name, x, inputSize, labels, targets, targetSize, null);
    }

    private Dataset(String name, float[] x, int inputSize, int[] labels, float[] targets, int targetSize,
                    ImageAugmentation augmentation) {
        if (inputSize < 1) throw new IllegalArgumentException(name + ": inputSize must be >= 1, got " + inputSize);
        if (x.length % inputSize != 0) {
            throw new IllegalArgumentException(name + ": " + x.length + " input floats is not a whole number of "
                    + inputSize + "-float samples");
        }
        this.name = name;
        this.x = x;
        this.inputSize = inputSize;
        this.labels = labels;
        this.targets = targets;
        this.targetSize = targetSize;
        this.size = x.length / inputSize;
        this.augmentation = augmentation;
        int rows = labels != null ? labels.length : targets.length / targetSize;
        if (rows != size || (targets != null && targets.length % targetSize != 0)) {
            throw new IllegalArgumentException(name + ": " + size + " input samples but "
                    + (labels != null ? labels.length + " labels" : targets.length + " target floats of " + targetSize + " per sample"));
        }
    }

    /** A classification data set: one class index per sample. */
    public static Dataset ofLabels(String name, float[] x, int inputSize, int[] labels) {
        return new Dataset(name, x, inputSize, labels, null, 1);
    }

    /** A data set with dense targets, {@code targetSize} floats per sample. */
    public static Dataset ofTargets(String name, float[] x, int inputSize, float[] targets, int targetSize) {
        if (targetSize < 1) throw new IllegalArgumentException(name + ": targetSize must be >= 1, got " + targetSize);
        return new Dataset(name, x, inputSize, null, targets, targetSize);
    }

    /**
     * The same samples (sharing the arrays), with {@code augmentation} applied to every training
     * batch a {@link BatchIterator} draws from it. Evaluation never augments.
     */
    public Dataset withAugmentation(ImageAugmentation augmentation) {
        if (augmentation != null && augmentation.imageSize() != inputSize) {
            throw new IllegalArgumentException(name + ": augmentation of " + augmentation.imageSize()
                    + "-float images for samples of " + inputSize);
        }
        return new Dataset(name, x, inputSize, labels, targets, targetSize, augmentation);
    }

    /** The augmentation of training batches, or null. */
    public ImageAugmentation augmentation() {
        return augmentation;
    }

    /** For messages, e.g. {@code "mnist validation"}. */
    public String name() {
        return name;
    }

    public int size() {
        return size;
    }

    public int inputSize() {
        return inputSize;
    }

    /** Floats per target sample; 1 for a labelled data set. */
    public int targetSize() {
        return targetSize;
    }

    public boolean hasLabels() {
        return labels != null;
    }

    /** Inputs [size, inputSize]; the internal array. */
    public float[] x() {
        return x;
    }

    /** Class indices [size], or null when the data set has dense targets; the internal array. */
    public int[] labels() {
        return labels;
    }

    /** Targets [size, targetSize], or null when the data set has labels; the internal array. */
    public float[] targets() {
        return targets;
    }

    /** A copy of samples [from, to), named {@code name}. */
    public Dataset subset(String name, int from, int to) {
        if (from < 0 || to > size || from > to) {
            throw new IllegalArgumentException(this.name + ": subset [" + from + ", " + to + ") of " + size + " samples");
        }
        float[] sx = Arrays.copyOfRange(x, from * inputSize, to * inputSize);
        return labels != null
                ? ofLabels(name, sx, inputSize, Arrays.copyOfRange(labels, from, to))
                : ofTargets(name, sx, inputSize, Arrays.copyOfRange(targets, from * targetSize, to * targetSize), targetSize);
    }

    public Dataset subset(int from, int to) {
        return subset(name, from, to);
    }

    /** Copies sample {@code sample} into row {@code row} of {@code batch}; does not change {@code batch.size}. */
    public void copySample(int sample, Batch batch, int row) {
        System.arraycopy(x, sample * inputSize, batch.x, row * inputSize, inputSize);
        if (labels != null) {
            batch.labels[row] = labels[sample];
        } else {
            System.arraycopy(targets, sample * targetSize, batch.targets, row * targetSize, targetSize);
        }
    }

    /** Fills {@code batch} with samples [from, from + n) in order and sets its size to n. */
    public void copyRange(int from, int n, Batch batch) {
        System.arraycopy(x, from * inputSize, batch.x, 0, n * inputSize);
        if (labels != null) {
            System.arraycopy(labels, from, batch.labels, 0, n);
        } else {
            System.arraycopy(targets, from * targetSize, batch.targets, 0, n * targetSize);
        }
        batch.size = n;
    }

    /** Throws unless {@code batch} has room for this data set's rows, inputs and targets. */
    public void checkBatch(Batch batch, int rows) {
        if (batch.capacity < rows || batch.inputSize != inputSize || (labels == null && batch.targetSize != targetSize)) {
            throw new IllegalArgumentException(name + ": batch [capacity " + batch.capacity + ", inputs " + batch.inputSize
                    + ", targets " + batch.targetSize + "] cannot hold " + rows + " rows of " + inputSize
                    + " inputs and " + targetSize + " targets");
        }
    }

    /**
     * Checks that the model can train on this data: the input size matches, labels for a
     * classification model lie in 0..outputSize-1, and targets have the model's target size.
     */
    public void checkFits(CompiledModel model) throws DataException {
        if (model.inputSize() != inputSize) {
            throw new DataException(name + ": samples have " + inputSize + " inputs but model " + model.name()
                    + " takes " + model.inputSize());
        }
        if (model.targetKind() == TargetKind.CLASS_INDEX) {
            if (labels == null) {
                throw new DataException(name + ": has dense targets but model " + model.name() + " expects class labels");
            }
            int classes = model.outputSize();
            for (int i = 0; i < size; i++) {
                if (labels[i] < 0 || labels[i] >= classes) {
                    throw new DataException(name + ": label " + labels[i] + " at sample " + i + " is outside the "
                            + classes + " classes (0.." + (classes - 1) + ") of model " + model.name());
                }
            }
        } else {
            if (labels != null) {
                throw new DataException(name + ": has class labels but model " + model.name() + " expects "
                        + model.targetSize() + " " + model.targetKind().name().toLowerCase(java.util.Locale.ROOT) + " targets per sample");
            }
            if (targetSize != model.targetSize()) {
                throw new DataException(name + ": samples have " + targetSize + " targets but model " + model.name()
                        + " expects " + model.targetSize());
            }
        }
    }

    @Override
    public String toString() {
        return name + " (" + size + " samples)";
    }
}
