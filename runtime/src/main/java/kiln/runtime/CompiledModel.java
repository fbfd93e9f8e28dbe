package kiln.runtime;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import kiln.dsl.Init;
import kiln.dsl.InputKind;
import kiln.runtime.kernels.Gemm;
import kiln.runtime.parallel.WorkerPool;

/**
 * What every generated model class extends: the contract between a model and everything that
 * uses it (the trainer, a user's own loop, another model).
 *
 * <p>A training step is {@code forward(batch)}, {@code lossAndGrad(batch)}, {@code backward()};
 * then an optimizer reads {@link Param#grad}. Backward starts from the gradients the loss terms
 * seeded, plus any a caller put into an output's gradient ({@link #outputGradient}), so one
 * model's input gradient can drive another model's backward:
 * <pre>{@code
 * generator.forward(noise);
 * discriminator.forward(fakeBatch);              // its input: the generator's output
 * discriminator.lossAndGrad(fakeBatch);          // targets "real"
 * discriminator.setInputGradients(true);
 * discriminator.backward();
 * generator.zeroOutputGradients();
 * System.arraycopy(discriminator.inputGradient("image"), 0, generator.outputGradient("fake"), 0, n * 784);
 * generator.backward();
 * }</pre>
 *
 * <p>Every node is readable by name after a forward pass ({@link #activation}), unless fusion
 * computed it inside another node's pass without storing it (then the error says so: declare it
 * as an output to keep it). All buffers are sized for {@link #maxBatch()} rows and allocated in
 * the constructor, so steps allocate nothing. Not thread-safe: one model instance belongs to one
 * training loop (it uses its own worker pool internally).
 */
public abstract class CompiledModel implements AutoCloseable {
    protected final int maxBatch;
    protected final WorkerPool pool;
    protected final Gemm gemm;
    private final List<Param> params = new ArrayList<>();
    private final List<Init> inits = new ArrayList<>();
    private final List<int[]> fans = new ArrayList<>();
    private final List<Param> buffers = new ArrayList<>();
    private final List<Float> bufferInitials = new ArrayList<>();
    private final List<ModelInput> inputs = new ArrayList<>();
    private final Map<String, NodeView> nodes = new LinkedHashMap<>();
    private final List<String> outputs = new ArrayList<>();
    private final List<String> lossTermNames = new ArrayList<>();
    private double[] lossTermWeights = new double[0];
    private final Map<String, float[]> noise = new LinkedHashMap<>();
    /** The current input arrays, set by forward, read by the generated passes. */
    private float[][] inputArrays = new float[0][];
    /** Unweighted values of the loss terms of the last loss or lossAndGrad call. */
    protected double[] lossTerms = new double[0];
    private int rows;
    private boolean training = true;
    private long randomState;
    /** Whether backward also writes the gradients of the inputs ({@link #setInputGradients}). */
    protected boolean computeInputGradients;
    /** Whether stochastic nodes reuse their noise buffers instead of drawing ({@link #setNoiseFixed}). */
    protected boolean noiseFixed;
    private boolean accumulateGradients;
    private float[][] gradientStash;

    /** One model input: its name, kind, shape per sample, and its gradient buffer (null for token ids). */
    private record ModelInput(String name, InputKind kind, int[] shape, int size, float[] gradient) {}

    /** A readable node: its value and gradient buffers (null when not stored), or why it is not stored. */
    private record NodeView(String name, int[] shape, float[] value, float[] gradient, String unstored) {}

    protected CompiledModel(int maxBatch, int threads) {
        if (maxBatch < 1) throw new IllegalArgumentException("maxBatch must be >= 1, got " + maxBatch);
        this.maxBatch = maxBatch;
        this.pool = new WorkerPool(threads);
        this.gemm = new Gemm(pool);
    }

    // ---- what generated constructors declare ----

    /** Declares a parameter; generated constructors call this in the model's declaration order. */
    protected final Param param(String name, boolean isBias, Init init, int fanIn, int fanOut, int... shape) {
        Param p = new Param(name, isBias, shape);
        params.add(p);
        inits.add(init);
        fans.add(new int[] {fanIn, fanOut});
        return p;
    }

    /**
     * Declares a non-trainable state tensor (e.g. batch-norm running statistics), starting at
     * {@code initial} everywhere: saved in checkpoints with the parameters, but never handed to an
     * optimizer. Its {@link Param#grad} is unused.
     */
    protected final Param buffer(String name, float initial, int... shape) {
        Param b = new Param(name, false, shape);
        Arrays.fill(b.value, initial);
        buffers.add(b);
        bufferInitials.add(initial);
        return b;
    }

    /**
     * Declares the next model input, in declaration order, and returns its gradient buffer
     * [maxBatch, size] (null for token ids, which have none).
     */
    protected final float[] input(String name, InputKind kind, int... shape) {
        int size = Math.toIntExact(Arrays.stream(shape).asLongStream().reduce(1, Math::multiplyExact));
        float[] gradient = kind == InputKind.TOKENS ? null : new float[Math.multiplyExact(maxBatch, size)];
        inputs.add(new ModelInput(name, kind, shape.clone(), size, gradient));
        inputArrays = new float[inputs.size()][];
        if (gradient != null) nodes.put(name, new NodeView(name, shape.clone(), null, gradient, null));
        else nodes.put(name, new NodeView(name, shape.clone(), null, null, null));
        return gradient;
    }

    /** Declares a node whose value (and gradient, when it has one) a buffer holds, readable by name. */
    protected final void node(String name, float[] value, float[] gradient, int... shape) {
        nodes.put(name, new NodeView(name, shape.clone(), value, gradient, null));
    }

    /** Declares a node that no buffer holds, with the reason, for the error when someone asks for it. */
    protected final void unstoredNode(String name, String why, int... shape) {
        nodes.put(name, new NodeView(name, shape.clone(), null, null, why));
    }

    /** Declares a node as an output: its gradient can be seeded by a caller ({@link #outputGradient}). */
    protected final void output(String name) {
        outputs.add(name);
    }

    /** Declares the next loss term with its weight in the total loss. */
    protected final void lossTerm(String name, double weight) {
        lossTermNames.add(name);
        lossTermWeights = Arrays.copyOf(lossTermWeights, lossTermNames.size());
        lossTermWeights[lossTermNames.size() - 1] = weight;
        lossTerms = new double[lossTermNames.size()];
    }

    /** Declares the buffer a stochastic node draws its noise into (a dropout mask, a sample's eps). */
    protected final void noise(String node, float[] buffer) {
        noise.put(node, buffer);
    }

    // ---- what generated classes implement ----

    /** The forward pass over rows [0, n) of the current inputs ({@link #inputArray}); batch norm updates its statistics only when asked. */
    protected abstract void forwardPass(int n, boolean updateStatistics);

    /** The loss terms of the last forward on {@code batch} into {@link #lossTerms}; seeds their gradients when asked; returns the weighted total. */
    protected abstract float lossPass(Batch batch, boolean seedGradients);

    /** Zeroes the gradient of every output no loss term seeds, so that backward can add to it. */
    protected abstract void zeroUnseededOutputGradients(int n);

    /** Zeroes every buffer backward starts from: the outputs' gradients and those the loss terms seed. */
    protected abstract void zeroSeeds();

    /** Back-propagates from the seeded gradients over rows [0, n); overwrites the gradients of the parameters it reaches. */
    protected abstract void backwardPass(int n);

    /** The prediction of the last forward for rows [0, n), as {@link #predict} gives it. */
    protected abstract float[] predictions(int n);

    /** The current array of input {@code k} (what the last forward read). */
    protected final float[] inputArray(int k) {
        return inputArrays[k];
    }

    // ---- running the model ----

    /** Runs the forward pass on rows [0, batch.size) of every input of {@code batch}, keeping what backward needs. */
    public final void forward(Batch batch) {
        bind(batch);
        forwardPass(rows, true);
    }

    /** Runs the forward pass on rows [0, n) of {@code x} ([n, inputSize]); for a model with one input. */
    public final void forward(float[] x, int n) {
        bindOnly(x, n);
        forwardPass(n, true);
    }

    /** The weighted sum of the loss terms of the last forward pass on {@code batch}; seeds their gradients for backward. */
    public final float lossAndGrad(Batch batch) {
        checkRows(batch.size);
        float total = lossPass(batch, true);
        zeroUnseededOutputGradients(batch.size);
        return total;
    }

    /** The weighted sum of the loss terms of the last forward pass on {@code batch}, without touching gradients (evaluation). */
    public final float loss(Batch batch) {
        checkRows(batch.size);
        return lossPass(batch, false);
    }

    /**
     * Back-propagates what {@link #lossAndGrad} seeded, plus whatever a caller added to the
     * outputs' gradients, through the last forward pass. Overwrites every {@link Param#grad} it
     * reaches, or adds to it after {@link #setAccumulateGradients setAccumulateGradients(true)}.
     */
    public final void backward() {
        if (rows == 0) throw new IllegalStateException(name() + ": backward() before any forward pass");
        if (!accumulateGradients) {
            backwardPass(rows);
            return;
        }
        for (int i = 0; i < params.size(); i++) System.arraycopy(params.get(i).grad, 0, gradientStash[i], 0, params.get(i).size());
        backwardPass(rows);
        for (int i = 0; i < params.size(); i++) {
            float[] g = params.get(i).grad, kept = gradientStash[i];
            for (int j = 0; j < g.length; j++) g[j] += kept[j];
        }
    }

    /** {@link #backward()} after {@code forward(x, n)}; kept for callers of the one-input form. */
    public final void backward(float[] x, int n) {
        bindOnly(x, n);
        backward();
    }

    /**
     * Forward pass, then the model's prediction for rows [0, n): class probabilities for a
     * softmax cross-entropy model, probabilities for a binary model, values otherwise (the first
     * output). Batch norm leaves its running statistics alone. Returns an internal buffer
     * [maxBatch, outputSize], valid until the next call.
     */
    public final float[] predict(float[] x, int n) {
        bindOnly(x, n);
        forwardPass(n, false);
        return predictions(n);
    }

    /** {@link #predict(float[], int)} for a model with several inputs. */
    public final float[] predict(Batch batch) {
        bind(batch);
        forwardPass(rows, false);
        return predictions(rows);
    }

    /**
     * The prediction for rows [0, n) of the last forward pass, as {@link #predict} gives it,
     * without running the forward again: the trainer samples training accuracy this way.
     */
    public final float[] lastPredictions(int n) {
        checkRows(n);
        return predictions(n);
    }

    private void bind(Batch batch) {
        checkRows(batch.size);
        for (int k = 0; k < inputs.size(); k++) {
            String name = inputs.get(k).name();
            int at = batch.indexOf(name);
            if (at < 0 && inputs.size() == 1 && batch.inputs.length == 1) at = 0; // one input feeds one input
            if (at < 0) {
                throw new IllegalArgumentException(name() + " reads input '" + name + "', which the batch does not hold; it holds "
                        + batch.inputNames);
            }
            if (batch.inputSize(at) != inputs.get(k).size()) {
                throw new IllegalArgumentException(name() + " input '" + name + "' takes " + inputs.get(k).size()
                        + " floats per row, but the batch holds " + batch.inputSize(at));
            }
            inputArrays[k] = batch.inputs[at];
        }
        rows = batch.size;
    }

    private void bindOnly(float[] x, int n) {
        checkRows(n);
        if (inputs.size() != 1) {
            throw new IllegalStateException(name() + " has inputs " + inputNames() + ": give them all in a Batch (forward(batch))");
        }
        inputArrays[0] = x;
        rows = n;
    }

    // ---- gradients ----

    /** Zeroes every parameter gradient. */
    public final void zeroGrad() {
        for (Param p : params) Arrays.fill(p.grad, 0f);
    }

    /**
     * Whether backward adds to the parameter gradients (as PyTorch does, cleared by {@link #zeroGrad})
     * instead of overwriting them (the default): accumulate to sum the gradients of several batches,
     * or of several backward passes, before one optimizer step.
     */
    public final void setAccumulateGradients(boolean accumulate) {
        if (accumulate && gradientStash == null) {
            gradientStash = new float[params.size()][];
            for (int i = 0; i < params.size(); i++) gradientStash[i] = new float[params.get(i).size()];
        }
        this.accumulateGradients = accumulate;
    }

    public final boolean accumulatesGradients() {
        return accumulateGradients;
    }

    /** Whether backward also computes the gradient of every input (off by default: training never needs it). */
    public final void setInputGradients(boolean compute) {
        this.computeInputGradients = compute;
    }

    /** dL/d(input {@code name}) [maxBatch, size] of the last backward, computed when {@link #setInputGradients} is on. */
    public final float[] inputGradient(String name) {
        ModelInput in = inputNamed(name);
        if (in.gradient() == null) throw new IllegalArgumentException(name() + " input '" + name + "' carries token ids, which have no gradient");
        return in.gradient();
    }

    /**
     * The gradient buffer [maxBatch, size] of output {@code name}: what backward starts from there.
     * {@link #lossAndGrad} fills it (with zeros when no loss term reads the output); a caller may then
     * add to it, or, for a model driven only by another's gradient, {@link #zeroOutputGradients} and
     * write it.
     */
    public final float[] outputGradient(String name) {
        if (!outputs.contains(name)) {
            throw new IllegalArgumentException(name() + " has no output '" + name + "'; its outputs are " + outputs
                    + " (declare a node as an output to seed its gradient)");
        }
        return nodes.get(name).gradient();
    }

    /**
     * Zeroes every output's gradient and every gradient the loss terms seed: the start of a backward
     * driven only by callers' gradients (write them into {@link #outputGradient} next).
     */
    public final void zeroOutputGradients() {
        zeroSeeds();
    }

    // ---- reading the model ----

    /** The model's inputs, in declaration order; {@link #forward(float[], int)} feeds the only one. */
    public final List<String> inputNames() {
        List<String> names = new ArrayList<>();
        for (ModelInput in : inputs) names.add(in.name());
        return names;
    }

    public final int[] inputShape(String name) {
        return inputNamed(name).shape().clone();
    }

    /** Floats per sample of input {@code name}. */
    public final int inputSize(String name) {
        return inputNamed(name).size();
    }

    public final InputKind inputKind(String name) {
        return inputNamed(name).kind();
    }

    /** Shape of one sample of the first input, without the batch axis. */
    public final int[] inputShape() {
        return inputs.get(0).shape().clone();
    }

    /** Floats per sample of the first input. */
    public final int inputSize() {
        return inputs.get(0).size();
    }

    /** The declared outputs, and the nodes the loss terms read, in declaration order. */
    public final List<String> outputNames() {
        return Collections.unmodifiableList(outputs);
    }

    /** Every node's name, in topological order, the inputs included. */
    public final List<String> nodeNames() {
        return List.copyOf(nodes.keySet());
    }

    /** Shape of one sample of node {@code name}. */
    public final int[] shapeOf(String name) {
        return view(name).shape().clone();
    }

    /**
     * Node {@code name}'s value [maxBatch, size] after the last forward pass (rows [0, n) valid):
     * logits, a code layer, a hidden state. An internal buffer: read it, do not keep it.
     */
    public final float[] activation(String name) {
        NodeView v = view(name);
        if (v.unstored() != null) throw new IllegalArgumentException(name() + " node '" + name + "' is not stored: " + v.unstored());
        if (v.value() == null) {
            for (int k = 0; k < inputs.size(); k++) if (inputs.get(k).name().equals(name)) return inputArrays[k];
        }
        return v.value();
    }

    /** The loss terms' names, in declaration order. */
    public final List<String> lossTermNames() {
        return Collections.unmodifiableList(lossTermNames);
    }

    /** The weight of loss term {@code k} in the total. */
    public final double lossTermWeight(int k) {
        return lossTermWeights[k];
    }

    /** Loss term {@code k}'s value (unweighted) in the last {@link #loss} or {@link #lossAndGrad} call. */
    public final double lossTerm(int k) {
        return lossTerms[k];
    }

    /** Nodes that draw noise in training (dropout, noise, Gaussian samples), by name, in declaration order. */
    public final List<String> noiseNames() {
        return List.copyOf(noise.keySet());
    }

    /**
     * The noise buffer [maxBatch, size] of stochastic node {@code name} as its last training forward
     * drew it: a dropout's or masking noise's keep mask (1 kept, 0 dropped), additive noise, or a
     * Gaussian sample's eps. With {@link #setNoiseFixed setNoiseFixed(true)} the node reads it
     * instead of drawing, so a caller can replay noise or supply its own.
     */
    public final float[] noise(String name) {
        float[] b = noise.get(name);
        if (b == null) throw new IllegalArgumentException(name() + " has no stochastic node '" + name + "'; it has " + noise.keySet());
        return b;
    }

    /** Whether stochastic nodes reuse their noise buffers ({@link #noise}) instead of drawing new noise. */
    public final void setNoiseFixed(boolean fixed) {
        this.noiseFixed = fixed;
    }

    private ModelInput inputNamed(String name) {
        for (int k = 0; k < inputs.size(); k++) if (inputs.get(k).name().equals(name)) return inputs.get(k); // indexed: steps call this
        throw new IllegalArgumentException(name() + " has no input '" + name + "'; its inputs are " + inputNames());
    }

    private NodeView view(String name) {
        NodeView v = nodes.get(name);
        if (v == null) throw new IllegalArgumentException(name() + " has no node '" + name + "'; its nodes are " + nodes.keySet());
        return v;
    }

    // ---- parameters, state and modes ----

    /**
     * Re-initialises every parameter from {@code seed}, each tensor from its own stream; resets the
     * state buffers and seeds the model's random stream (dropout, noise) from the same seed.
     */
    public final void initParams(long seed) {
        for (int i = 0; i < params.size(); i++) {
            Initializers.fill(params.get(i).value, inits.get(i), fans.get(i)[0], fans.get(i)[1], seed, i);
        }
        for (int i = 0; i < buffers.size(); i++) Arrays.fill(buffers.get(i).value, bufferInitials.get(i));
        seedRandom(seed);
    }

    /**
     * Training mode (the default) or inference mode. Dropout and noise act only in training; batch
     * norm normalises by batch statistics (and updates its running statistics) in training, and by
     * the running statistics in inference. Evaluation switches to inference.
     */
    public final void setTraining(boolean training) {
        this.training = training;
    }

    public final boolean isTraining() {
        return training;
    }

    /** Restarts the model's random stream (dropout masks, noise): the same seed gives the same draws. */
    public final void seedRandom(long seed) {
        randomState = seed * 0x9E3779B97F4A7C15L + 0x632BE59BD9B4E019L;
    }

    /** The random stream's state (SplitMix64): checkpoints save it, and generated code advances it. */
    public final long randomState() {
        return randomState;
    }

    /** Restores the random stream's state, e.g. from a checkpoint, so the next draws repeat the saved run's. */
    public final void setRandomState(long state) {
        randomState = state;
    }

    /** The model's name as declared (the annotated class's simple name). */
    public abstract String name();

    /** Floats per sample of the first output (logits or predictions). */
    public abstract int outputSize();

    /** What the loss compares with from the data; {@link TargetKind#NONE} when nothing. */
    public abstract TargetKind targetKind();

    /** Floats per target sample for BINARY and REGRESSION; 1 for CLASS_INDEX; 0 for NONE. */
    public abstract int targetSize();

    public final int maxBatch() {
        return maxBatch;
    }

    public final int threads() {
        return pool.threads();
    }

    /** The model's workers, idle between its kernels: the optimizer shares them ({@code Optimizer.useWorkers}). */
    public final WorkerPool workerPool() {
        return pool;
    }

    /** Every parameter, frozen ones included (checkpoints hold them all), in declaration order. */
    public final List<Param> params() {
        return Collections.unmodifiableList(params);
    }

    /** The parameters an optimizer updates: all but the frozen ones. */
    public final List<Param> trainableParams() {
        List<Param> trainable = new ArrayList<>();
        for (Param p : params) if (!p.frozen()) trainable.add(p);
        return trainable;
    }

    /** Non-trainable state (e.g. batch-norm running statistics), in declaration order; empty for most models. */
    public final List<Param> buffers() {
        return Collections.unmodifiableList(buffers);
    }

    public final Param param(String name) {
        for (Param p : params) if (p.name.equals(name)) return p;
        throw new IllegalArgumentException("no parameter named '" + name + "' in " + name() + "; it has " + params);
    }

    public final long parameterCount() {
        long n = 0;
        for (Param p : params) n += p.size();
        return n;
    }

    /** Checks that a batch of {@code n} rows fits the buffers. */
    protected final void checkRows(int n) {
        if (n < 1 || n > maxBatch) {
            throw new IllegalArgumentException("batch of " + n + " rows; this " + name() + " instance holds 1.." + maxBatch);
        }
    }

    @Override
    public void close() {
        pool.close();
    }
}
