package kiln.runtime;

/**
 * What a generated model with a recurrent layer, an embedding or a one-hot input adds to
 * {@link CompiledModel}: control over time steps and over the hidden state between forward passes.
 *
 * <p>A sample is a sequence of {@link #timeSteps()} steps, batch-first: the input row of sample b
 * holds its steps one after the other (token ids as floats, or [steps, features]), and a
 * per-step classifier has {@link #labelsPerSample()} labels per sample in {@link Batch#labels}
 * ([n, steps], row-major).
 *
 * <p>Truncated backpropagation through time: with {@link #setCarryState(boolean) carryState} on,
 * each forward pass starts from the hidden (and cell) state the previous one ended with, row by
 * row, so consecutive chunks of one long sequence see each other's context; backward still stops
 * at the start of the chunk (the carried state is a constant, its gradient is cut). Off (the
 * default), every forward pass starts from zeros, as PyTorch's recurrent layers do.
 */
public interface SequenceModel {
    /** Time steps of one sample, fixed when the model was compiled. */
    int timeSteps();

    /** Class labels per sample: {@link #timeSteps()} for a model that classifies every step, else 1. */
    int labelsPerSample();

    /**
     * Runs only the first {@code steps} time steps (1..timeSteps()) from the next forward pass on:
     * the recurrence stops there, the loss averages over those steps only, and the state carried
     * on is the one after step {@code steps}. Generation feeds one token at a time with 1; the
     * last, shorter chunk of a text uses its length.
     */
    void setActiveSteps(int steps);

    int activeSteps();

    /** Whether forward passes continue from the state the previous one ended with (default false). */
    void setCarryState(boolean carry);

    boolean carriesState();

    /** Zeroes the carried hidden and cell states: the next forward starts afresh. */
    void resetState();

    /**
     * The carried states themselves, live: each recurrent layer's hidden state, then its cell
     * state (an LSTM's), [layers, maxBatch, hidden] each, in declaration order; empty for a model
     * without recurrent layers. Copy them to keep a stream's context, write them to restore it: a
     * checkpoint taken within an epoch of truncated BPTT saves them, and resuming writes them back.
     */
    java.util.List<float[]> carriedState();

    /**
     * A batch with room for {@code capacity} rows of {@code model}'s inputs and labels: one label per
     * step for a per-step classifier ({@link #labelsPerSample()}), else one per row.
     */
    static Batch batchFor(CompiledModel model, int capacity) {
        return Batch.forModel(model, capacity);
    }
}
