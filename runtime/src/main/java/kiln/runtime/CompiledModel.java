package kiln.runtime;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import kiln.dsl.Init;
import kiln.runtime.kernels.Gemm;
import kiln.runtime.parallel.WorkerPool;

/**
 * What every generated model class extends: the contract between generated code and the runtime.
 *
 * <p>A step is {@code forward(x, n)}, {@code lossAndGrad(batch)}, {@code backward(x, n)}; then
 * an optimizer reads {@link Param#grad}. All buffers are sized for {@link #maxBatch()} rows and
 * allocated in the constructor, so steps allocate nothing. Not thread-safe: one model instance
 * belongs to one training loop (it uses its own worker pool internally).
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
    private boolean training = true;
    private long randomState;

    protected CompiledModel(int maxBatch, int threads) {
        if (maxBatch < 1) throw new IllegalArgumentException("maxBatch must be >= 1, got " + maxBatch);
        this.maxBatch = maxBatch;
        this.pool = new WorkerPool(threads);
        this.gemm = new Gemm(pool);
    }

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
        java.util.Arrays.fill(b.value, initial);
        buffers.add(b);
        bufferInitials.add(initial);
        return b;
    }

    /**
     * Re-initialises every parameter from {@code seed}, each tensor from its own stream; resets the
     * state buffers and seeds the model's random stream (dropout) from the same seed.
     */
    public final void initParams(long seed) {
        for (int i = 0; i < params.size(); i++) {
            Initializers.fill(params.get(i).value, inits.get(i), fans.get(i)[0], fans.get(i)[1], seed, i);
        }
        for (int i = 0; i < buffers.size(); i++) java.util.Arrays.fill(buffers.get(i).value, bufferInitials.get(i));
        seedRandom(seed);
    }

    /**
     * Training mode (the default) or inference mode. Dropout drops only in training; batch norm
     * normalises by batch statistics (and updates its running statistics) in training, and by the
     * running statistics in inference. Evaluation switches to inference.
     */
    public final void setTraining(boolean training) {
        this.training = training;
    }

    public final boolean isTraining() {
        return training;
    }

    /** Restarts the model's random stream (dropout masks): the same seed gives the same masks. */
    public final void seedRandom(long seed) {
        randomState = seed * 0x9E3779B97F4A7C15L + 0x632BE59BD9B4E019L;
    }

    /** The random stream's state, for generated code: SplitMix64, advanced by the caller. */
    protected final long randomState() {
        return randomState;
    }

    protected final void setRandomState(long state) {
        randomState = state;
    }

    /** The model's name as declared (the annotated class's simple name). */
    public abstract String name();

    /** Shape of one input sample, without the batch axis. */
    public abstract int[] inputShape();

    /** Floats per input sample. */
    public abstract int inputSize();

    /** Floats per output sample (logits or predictions). */
    public abstract int outputSize();

    public abstract TargetKind targetKind();

    /** Floats per target sample for BINARY and REGRESSION; 1 for CLASS_INDEX. */
    public abstract int targetSize();

    /** Runs the forward pass on rows [0, n) of {@code x} ([n, inputSize]), keeping what backward needs. */
    public abstract void forward(float[] x, int n);

    /** Loss of the last forward pass on {@code batch}, and seeds the output gradient for backward. */
    public abstract float lossAndGrad(Batch batch);

    /** Loss of the last forward pass on {@code batch}, without touching gradients (evaluation). */
    public abstract float loss(Batch batch);

    /** Back-propagates the gradient seeded by {@link #lossAndGrad}; overwrites every {@link Param#grad}. */
    public abstract void backward(float[] x, int n);

    /**
     * Forward pass, then the model's prediction for rows [0, n): class probabilities for a
     * softmax cross-entropy model, probabilities for a binary model, values for regression.
     * Returns an internal buffer [maxBatch, outputSize], valid until the next call.
     */
    public abstract float[] predict(float[] x, int n);

    /**
     * The prediction for rows [0, n) of the last {@link #forward} pass, as {@link #predict} gives
     * it, without running the forward again: the trainer samples training accuracy this way.
     * Call it before {@link #lossAndGrad}, which may reuse the buffers.
     */
    public abstract float[] lastPredictions(int n);

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

    public final List<Param> params() {
        return Collections.unmodifiableList(params);
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

    /** Checks that a batch of {@code n} rows fits the buffers; generated entry points call it. */
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
