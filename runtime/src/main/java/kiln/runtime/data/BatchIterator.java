package kiln.runtime.data;

import kiln.runtime.Batch;

/**
 * Walks a {@link Dataset} in mini-batches, in a fresh random order each epoch, augmenting each
 * batch when the data set has an {@link ImageAugmentation} (seeded by the epoch seed too).
 *
 * <p>Usage: {@code startEpoch(seed); while (it.next(batch)) step(batch);}. Every sample appears
 * exactly once per epoch; the last batch keeps the remainder (fewer than {@code batchSize} rows).
 * The order depends only on the epoch seed, not on earlier epochs, so a resumed run repeats it.
 * The permutation is allocated once and the random generator is a few longs of state, so
 * iterating allocates nothing.
 */
public final class BatchIterator {
    private final Dataset data;
    private final int batchSize;
    private final int[] order;
    private int position;
    private long rngState;
    private long augmentState;

    public BatchIterator(Dataset data, int batchSize) {
        if (batchSize < 1) throw new IllegalArgumentException("batchSize must be >= 1, got " + batchSize);
        this.data = data;
        this.batchSize = batchSize;
        this.order = new int[data.size()];
        for (int i = 0; i < order.length; i++) order[i] = i;
        // Until the first startEpoch the order is the data set's own.
    }

    /** Shuffles the sample order for a new epoch (Fisher-Yates from the identity, seeded by {@code epochSeed}). */
    public void startEpoch(long epochSeed) {
        rngState = epochSeed;
        augmentState = epochSeed * 0xD1B54A32D192ED03L + 0x2545F4914F6CDD1DL;
        for (int i = 0; i < order.length; i++) order[i] = i;
        for (int i = order.length - 1; i > 0; i--) {
            int j = nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        position = 0;
    }

    /**
     * Skips to sample {@code position} of this epoch's order, as if that many samples had been
     * handed out: a run resumed from a mid-epoch checkpoint continues with the same samples.
     */
    public void seek(int position) {
        if (position < 0 || position > order.length) {
            throw new IllegalArgumentException("position " + position + " is outside the epoch's " + order.length + " samples");
        }
        this.position = position;
    }

    /** Fills {@code batch} with the next up to {@code batchSize} samples; false once the epoch is used up. */
    public boolean next(Batch batch) {
        int n = Math.min(batchSize, order.length - position);
        if (n <= 0) return false;
        data.checkBatch(batch, batchSize); // comparisons only; builds a message just when it throws
        for (int row = 0; row < n; row++) data.copySample(order[position + row], batch, row);
        if (data.augmentation() != null) augmentState = data.augment(batch, n, augmentState);
        batch.size = n;
        position += n;
        return true;
    }

    public int batchSize() {
        return batchSize;
    }

    /** Samples handed out so far this epoch. */
    public int position() {
        return position;
    }

    public int batchesPerEpoch() {
        return (order.length + batchSize - 1) / batchSize;
    }

    /** Uniform in [0, bound): SplitMix64, then a multiply-shift into the range (bias below 2^-32). */
    private int nextInt(int bound) {
        long z = (rngState += 0x9E3779B97F4A7C15L);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        z ^= z >>> 31;
        return (int) (((z >>> 32) * bound) >>> 32);
    }
}
