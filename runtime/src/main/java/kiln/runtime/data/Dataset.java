package kiln.runtime.data;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import kiln.runtime.Batch;
import kiln.runtime.CompiledModel;
import kiln.runtime.SequenceModel;
import kiln.runtime.TargetKind;

/**
 * Samples in memory: one or more named inputs, each [size, floats per sample] row-major, and
 * class labels [size] (for classification), dense targets [size, targetSize] (for binary and
 * regression losses), or neither (for a model whose loss reads nothing from the data, such as an
 * autoencoder). Most data sets have one input without a name ({@link #ofLabels(String, float[], int, int[])}):
 * it feeds a model's single input whatever the model calls it.
 *
 * <p>Filling a {@link Batch} copies each of the batch's inputs from the data set's input of the
 * same name, so one data set (say {@code image} and {@code tokens}) can feed models that read
 * either or both. The accessors return the arrays themselves, not copies, so that batching can
 * read them without allocating; treat them as read-only.
 */
public final class Dataset {
    /** One input of a data set: its name (null for the one unnamed input), its data [size, perSample] row-major. */
    public record Input(String name, float[] data, int perSample) {
        public Input {
            if (perSample < 1) throw new IllegalArgumentException("input " + name + ": floats per sample must be >= 1, got " + perSample);
        }
    }

    private final String name;
    private final List<String> inputNames;
    private final float[][] inputs;
    private final int[] inputSizes;
    private final int[] labels;
    private final float[] targets;
    private final int targetSize;
    private final int size;
    private final ImageAugmentation augmentation;

    private Dataset(String name, List<Input> inputs, int[] labels, float[] targets, int targetSize, ImageAugmentation augmentation) {
        if (inputs.isEmpty()) throw new IllegalArgumentException(name + ": a data set needs at least one input");
        this.name = name;
        List<String> names = new ArrayList<>();
        this.inputs = new float[inputs.size()][];
        this.inputSizes = new int[inputs.size()];
        for (int k = 0; k < inputs.size(); k++) {
            Input in = inputs.get(k);
            if (in.name() == null && inputs.size() > 1) throw new IllegalArgumentException(name + ": inputs of a data set with several need names");
            if (in.name() != null && names.contains(in.name())) throw new IllegalArgumentException(name + ": two inputs are named '" + in.name() + "'");
            if (in.data().length % in.perSample() != 0) {
                throw new IllegalArgumentException(name + ": " + in.data().length + " input floats is not a whole number of "
                        + in.perSample() + "-float samples");
            }
            names.add(in.name());
            this.inputs[k] = in.data();
            this.inputSizes[k] = in.perSample();
        }
        this.inputNames = Collections.unmodifiableList(names);
        this.labels = labels;
        this.targets = targets;
        this.targetSize = targetSize;
        this.size = this.inputs[0].length / inputSizes[0];
        this.augmentation = augmentation;
        for (int k = 1; k < this.inputs.length; k++) {
            if (this.inputs[k].length / inputSizes[k] != size) {
                throw new IllegalArgumentException(name + ": input '" + names.get(0) + "' holds " + size + " samples but input '"
                        + names.get(k) + "' " + this.inputs[k].length / inputSizes[k]);
            }
        }
        int rows = labels != null ? labels.length : targets != null ? targets.length / targetSize : size;
        if (rows != size || (targets != null && targets.length % targetSize != 0)) {
            throw new IllegalArgumentException(name + ": " + size + " input samples but "
                    + (labels != null ? labels.length + " labels" : targets.length + " target floats of " + targetSize + " per sample"));
        }
    }

    /** A classification data set with one unnamed input: one class index per sample. */
    public static Dataset ofLabels(String name, float[] x, int inputSize, int[] labels) {
        return ofLabels(name, List.of(new Input(null, x, inputSize)), labels);
    }

    /** A data set with one unnamed input and dense targets, {@code targetSize} floats per sample. */
    public static Dataset ofTargets(String name, float[] x, int inputSize, float[] targets, int targetSize) {
        return ofTargets(name, List.of(new Input(null, x, inputSize)), targets, targetSize);
    }

    /** A classification data set of named inputs. */
    public static Dataset ofLabels(String name, List<Input> inputs, int[] labels) {
        return new Dataset(name, inputs, java.util.Objects.requireNonNull(labels, "labels"), null, 1, null);
    }

    /** A data set of named inputs with dense targets, {@code targetSize} floats per sample. */
    public static Dataset ofTargets(String name, List<Input> inputs, float[] targets, int targetSize) {
        if (targetSize < 1) throw new IllegalArgumentException(name + ": targetSize must be >= 1, got " + targetSize);
        return new Dataset(name, inputs, null, java.util.Objects.requireNonNull(targets, "targets"), targetSize, null);
    }

    /** Inputs only, for models whose loss reads nothing from the data ({@link TargetKind#NONE}). */
    public static Dataset ofInputs(String name, List<Input> inputs) {
        return new Dataset(name, inputs, null, null, 0, null);
    }

    /**
     * The same samples (sharing the arrays), with {@code augmentation} applied to the first input of
     * every training batch a {@link BatchIterator} draws from it. Evaluation never augments.
     */
    public Dataset withAugmentation(ImageAugmentation augmentation) {
        if (augmentation != null && augmentation.imageSize() != inputSizes[0]) {
            throw new IllegalArgumentException(name + ": augmentation of " + augmentation.imageSize()
                    + "-float images for samples of " + inputSizes[0]);
        }
        return new Dataset(name, inputList(), labels, targets, targetSize, augmentation);
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

    /** The inputs' names, in order; a single unnamed input has the name null. */
    public List<String> inputNames() {
        return inputNames;
    }

    /** Floats per sample of the first input. */
    public int inputSize() {
        return inputSizes[0];
    }

    /** The first input [size, inputSize]; the internal array. */
    public float[] x() {
        return inputs[0];
    }

    /** Input {@code name} [size, floats per sample]; the internal array. */
    public float[] input(String name) {
        int k = inputNames.indexOf(name);
        if (k < 0) throw new IllegalArgumentException(this.name + " has no input '" + name + "'; it has " + inputNames);
        return inputs[k];
    }

    /** Floats per target sample: 1 for a labelled data set, 0 for one of inputs only. */
    public int targetSize() {
        return targetSize;
    }

    public boolean hasLabels() {
        return labels != null;
    }

    public boolean hasTargets() {
        return targets != null;
    }

    /** Class indices [size], or null; the internal array. */
    public int[] labels() {
        return labels;
    }

    /** Targets [size, targetSize], or null; the internal array. */
    public float[] targets() {
        return targets;
    }

    /**
     * An empty batch shaped as this data set's samples: its inputs, under their names, and its
     * labels or targets. What a training step of one's own receives ({@code kiln.runtime.train.TrainingStep}).
     */
    public Batch batch(int capacity) {
        return new Batch(capacity, inputNames, inputSizes, targets != null ? targetSize : 0, 1);
    }

    /** A copy of samples [from, to), named {@code name}. */
    public Dataset subset(String name, int from, int to) {
        if (from < 0 || to > size || from > to) {
            throw new IllegalArgumentException(this.name + ": subset [" + from + ", " + to + ") of " + size + " samples");
        }
        List<Input> cut = new ArrayList<>();
        for (int k = 0; k < inputs.length; k++) {
            cut.add(new Input(inputNames.get(k), Arrays.copyOfRange(inputs[k], from * inputSizes[k], to * inputSizes[k]), inputSizes[k]));
        }
        if (labels != null) return ofLabels(name, cut, Arrays.copyOfRange(labels, from, to));
        if (targets != null) return ofTargets(name, cut, Arrays.copyOfRange(targets, from * targetSize, to * targetSize), targetSize);
        return ofInputs(name, cut);
    }

    public Dataset subset(int from, int to) {
        return subset(name, from, to);
    }

    /**
     * The input of this data set that feeds a receiver's input called {@code name} when the
     * receiver (a model or a batch) has {@code receiverInputs} inputs, or -1: the input of that
     * name; or, when both sides have one input and either leaves it unnamed, that one.
     */
    public int sourceOf(String name, int receiverInputs) {
        if (inputs.length == 1 && receiverInputs == 1 && (name == null || inputNames.get(0) == null)) return 0;
        for (int k = 0; k < inputs.length; k++) if (name != null && name.equals(inputNames.get(k))) return k;
        return -1;
    }

    /** Copies sample {@code sample} into row {@code row} of every input of {@code batch}, and its label or target; leaves {@code batch.size}. */
    public void copySample(int sample, Batch batch, int row) {
        for (int k = 0; k < batch.inputs.length; k++) {
            int d = sourceOf(batch.inputNames.get(k), batch.inputs.length), n = inputSizes[d];
            System.arraycopy(inputs[d], sample * n, batch.inputs[k], row * n, n);
        }
        if (labels != null) {
            batch.labels[row] = labels[sample];
        } else if (targets != null && batch.targetSize == targetSize) {
            System.arraycopy(targets, sample * targetSize, batch.targets, row * targetSize, targetSize);
        }
    }

    /** Fills {@code batch} with samples [from, from + n) in order and sets its size to n. */
    public void copyRange(int from, int n, Batch batch) {
        for (int k = 0; k < batch.inputs.length; k++) {
            int d = sourceOf(batch.inputNames.get(k), batch.inputs.length), per = inputSizes[d];
            System.arraycopy(inputs[d], from * per, batch.inputs[k], 0, n * per);
        }
        if (labels != null) {
            System.arraycopy(labels, from, batch.labels, 0, n);
        } else if (targets != null && batch.targetSize == targetSize) {
            System.arraycopy(targets, from * targetSize, batch.targets, 0, n * targetSize);
        }
        batch.size = n;
    }

    /** Augments rows [0, rows) of the batch input fed by this data set's first input; returns the advanced random state. */
    long augment(Batch batch, int rows, long state) {
        for (int k = 0; k < batch.inputs.length; k++) {
            if (sourceOf(batch.inputNames.get(k), batch.inputs.length) == 0) return augmentation.apply(batch.inputs[k], rows, state);
        }
        return state;
    }

    /**
     * Throws unless {@code batch} can take {@code rows} of this data set's samples: every batch input
     * has a data input of its name and size, and there is room for the labels (one per row) or the
     * targets the batch holds. Comparisons only; a message is built just when it throws.
     */
    public void checkBatch(Batch batch, int rows) {
        String problem = batch.capacity < rows ? "room for " + batch.capacity + " rows, not " + rows : null;
        for (int k = 0; problem == null && k < batch.inputs.length; k++) {
            int d = sourceOf(batch.inputNames.get(k), batch.inputs.length);
            if (d < 0) problem = "no input '" + batch.inputNames.get(k) + "' here; this data set has " + describeInputs();
            else if (inputSizes[d] != batch.inputSize(k)) problem = "input '" + batch.inputNames.get(k) + "' of " + batch.inputSize(k)
                    + " floats per row, but this data set's has " + inputSizes[d];
        }
        if (problem == null && labels != null && batch.labelsPerSample != 1) problem = batch.labelsPerSample + " labels per row, but a sample has 1";
        if (problem != null) throw new IllegalArgumentException(name + ": the batch cannot take its samples: it has " + problem);
    }

    /**
     * Checks that {@code model} can train on this data, in one line naming the first problem: the
     * data set has every input the model reads, of its size; labels for a classification model lie
     * in 0..outputSize-1; targets have the model's target size. A model whose loss reads nothing
     * from the data ({@link TargetKind#NONE}) takes any data set and ignores its labels or targets.
     */
    public void checkFits(CompiledModel model) throws DataException {
        List<String> reads = model.inputNames();
        for (String in : reads) {
            int d = sourceOf(in, reads.size());
            if (d < 0) throw new DataException(name + ": has no input '" + in + "', which model " + model.name() + " reads; it has " + describeInputs());
            if (inputSizes[d] != model.inputSize(in)) {
                throw new DataException(reads.size() == 1 && inputs.length == 1
                        ? name + ": samples have " + inputSizes[d] + " inputs but model " + model.name() + " takes " + model.inputSize(in)
                        : name + ": input '" + in + "' has " + inputSizes[d] + " floats per sample but model " + model.name() + " takes "
                                + model.inputSize(in));
            }
        }
        if (model instanceof SequenceModel s && s.labelsPerSample() > 1 && model.targetKind() == TargetKind.CLASS_INDEX) {
            throw new DataException(name + ": holds one label per sample but model " + model.name() + " takes one per step ("
                    + s.labelsPerSample() + "); train it on a text");
        }
        switch (model.targetKind()) {
            case NONE -> {
                // Its loss reads nothing from the data: labels or targets, if any, go unused.
            }
            case CLASS_INDEX -> {
                if (labels == null) {
                    throw new DataException(name + ": has " + (targets != null ? "dense targets" : "no labels") + " but model "
                            + model.name() + " expects class labels");
                }
                int classes = model.outputSize();
                for (int i = 0; i < size; i++) {
                    if (labels[i] < 0 || labels[i] >= classes) {
                        throw new DataException(name + ": label " + labels[i] + " at sample " + i + " is outside the "
                                + classes + " classes (0.." + (classes - 1) + ") of model " + model.name());
                    }
                }
            }
            case BINARY, REGRESSION -> {
                if (targets == null) {
                    throw new DataException(name + ": has " + (labels != null ? "class labels" : "no targets") + " but model " + model.name()
                            + " expects " + model.targetSize() + " " + model.targetKind().name().toLowerCase(Locale.ROOT) + " targets per sample");
                }
                if (targetSize != model.targetSize()) {
                    throw new DataException(name + ": samples have " + targetSize + " targets but model " + model.name()
                            + " expects " + model.targetSize());
                }
            }
        }
    }

    /** {@code [image, tokens]}, or {@code one unnamed input}. */
    private String describeInputs() {
        return inputNames.get(0) == null ? "one unnamed input" : inputNames.toString();
    }

    private List<Input> inputList() {
        List<Input> list = new ArrayList<>();
        for (int k = 0; k < inputs.length; k++) list.add(new Input(inputNames.get(k), inputs[k], inputSizes[k]));
        return list;
    }

    @Override
    public String toString() {
        return name + " (" + size + " samples)";
    }
}
