package kiln.runtime.text;

import kiln.runtime.Batch;

/**
 * Batches for truncated backpropagation through time: the token sequence is cut into
 * {@code streams} contiguous streams of equal length, one per batch row, and each batch is the next
 * chunk of {@code steps} tokens of every stream, with the token after each as its label. Row b of
 * consecutive batches continues the same text, so a model that carries its state from one batch
 * to the next sees each stream as one long sequence. The last chunk may be shorter;
 * {@link #next} says how many steps it holds.
 *
 * <p>{@link #start(int)} shifts where the streams begin by up to {@code steps - 1} tokens, so
 * that each epoch cuts its chunks at other places. Batching allocates nothing.
 */
public final class TokenStreams {
    private final int[] tokens;
    private final int streams;
    private final int steps;
    private int offset;
    private int length; // tokens per stream that are inputs (each has a label after it)
    private int position; // inputs of every stream handed out so far

    public TokenStreams(int[] tokens, int streams, int steps) {
        if (streams < 1) throw new IllegalArgumentException("streams must be >= 1, got " + streams);
        if (steps < 1) throw new IllegalArgumentException("steps must be >= 1, got " + steps);
        if (tokens.length < 2) throw new IllegalArgumentException("a text of " + tokens.length + " tokens has nothing to predict");
        this.tokens = tokens;
        this.streams = (int) Math.min(streams, tokens.length - 1L);
        this.steps = steps;
        start(0);
    }

    /** Starts a pass over the text with the streams beginning {@code offset} tokens in ({@code 0 <= offset < steps}). */
    public void start(int offset) {
        if (offset < 0 || offset >= steps) throw new IllegalArgumentException("offset must be in [0, " + steps + "), got " + offset);
        int usable = tokens.length - 1 - offset;
        if (usable < streams) offset = 0; // too short to shift: a tiny text
        this.offset = offset;
        this.length = (tokens.length - 1 - offset) / streams;
        this.position = 0;
    }

    /**
     * Fills rows [0, streams) of {@code batch} (inputs [streams, steps] as floats, labels
     * [streams, steps]) with the next chunk and returns its number of steps, or 0 once the pass is
     * over. Steps past a short chunk's end hold token 0 with label 0.
     */
    public int next(Batch batch) {
        int active = Math.min(steps, length - position);
        if (active <= 0) return 0;
        if (batch.capacity < streams || batch.inputSize != steps || batch.labelsPerSample != steps) {
            throw new IllegalArgumentException("batch [capacity " + batch.capacity + ", inputs " + batch.inputSize + ", labels "
                    + batch.labelsPerSample + "] cannot hold " + streams + " streams of " + steps + " steps");
        }
        for (int b = 0; b < streams; b++) {
            int from = offset + b * length + position, row = b * steps;
            for (int t = 0; t < active; t++) {
                batch.x[row + t] = tokens[from + t];
                batch.labels[row + t] = tokens[from + t + 1];
            }
            for (int t = active; t < steps; t++) {
                batch.x[row + t] = 0;
                batch.labels[row + t] = 0;
            }
        }
        batch.size = streams;
        position += active;
        return active;
    }

    /** Chunks handed out so far in this pass. */
    public int chunksDone() {
        return (position + steps - 1) / steps;
    }

    /** Tokens predicted so far in this pass (every stream's). */
    public long tokensDone() {
        return (long) streams * position;
    }

    /**
     * Skips the first {@code chunks} chunks of this pass, as if they had been handed out: a run
     * resumed within an epoch goes on with the chunk after them.
     */
    public void seek(int chunks) {
        if (chunks < 0 || chunks > chunks()) throw new IllegalArgumentException("chunk " + chunks + " is outside the pass's " + chunks());
        position = Math.min(chunks * steps, length);
    }

    /** Rows of every batch: the streams (fewer than asked for only for a text shorter than that). */
    public int streams() {
        return streams;
    }

    /** Batches in one pass. */
    public int chunks() {
        return (length + steps - 1) / steps;
    }

    /** Tokens predicted in one pass (every stream's inputs). */
    public long tokensPerPass() {
        return (long) streams * length;
    }
}
