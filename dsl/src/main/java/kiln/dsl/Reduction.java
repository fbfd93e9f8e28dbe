package kiln.dsl;

/** How a loss term turns its per-element values into one number. */
public enum Reduction {
    /**
     * The kind's own default, as PyTorch's: the mean over all elements for MSE and the binary
     * cross-entropies, over rows for softmax cross-entropy; the sum over a sample, averaged over the
     * batch, for the KL divergence and the activity penalties (Keras' activity regularisers).
     */
    DEFAULT,
    /** Divided by the number of elements (rows for softmax cross-entropy). */
    MEAN,
    /** Summed over every element and every row: PyTorch's {@code reduction='sum'}. */
    SUM,
    /** Summed over each sample's elements, then averaged over the batch. */
    BATCH_MEAN
}
