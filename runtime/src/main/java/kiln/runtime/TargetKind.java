package kiln.runtime;

/** What a model's loss compares its output with. */
public enum TargetKind {
    /** One integer class index per sample ({@link Batch#labels}); accuracy is arg-max agreement. */
    CLASS_INDEX,
    /** Probabilities in [0,1], one per output ({@link Batch#targets}); accuracy thresholds at 0.5. */
    BINARY,
    /** Real values, one per output ({@link Batch#targets}); no accuracy, only loss. */
    REGRESSION
}
