package kiln.runtime;

/** What a model's loss compares its output with from the data. */
public enum TargetKind {
    /** One integer class index per sample ({@link Batch#labels}); accuracy is arg-max agreement. */
    CLASS_INDEX,
    /** Probabilities in [0,1], one per output ({@link Batch#targets}); accuracy thresholds at 0.5. */
    BINARY,
    /** Real values, one per output ({@link Batch#targets}); no accuracy, only loss. */
    REGRESSION,
    /**
     * Nothing from the data: every loss term compares with the model's own inputs or nodes (an
     * autoencoder), or the model has no loss (driven by a caller's gradient). No accuracy.
     */
    NONE
}
