package kiln.dsl;

/** Losses, with PyTorch's formulas and default reductions (see the fixtures' MANIFEST.json). */
public enum LossKind {
    /** Mean squared error over all elements, nn.MSELoss(): (1/numel) sum (y - t)^2. */
    MSE,
    /** Squared error summed over a sample's outputs and averaged over the batch: (1/N) sum (y - t)^2. */
    MSE_SUM,
    /** Binary cross-entropy on probabilities in (0,1), nn.BCELoss(): the input is usually a sigmoid. */
    BINARY_CROSS_ENTROPY,
    /** Binary cross-entropy on raw logits, nn.BCEWithLogitsLoss(): numerically safer. */
    BINARY_CROSS_ENTROPY_WITH_LOGITS,
    /** Softmax cross-entropy on raw logits with integer class labels, nn.CrossEntropyLoss(). */
    SOFTMAX_CROSS_ENTROPY
}
