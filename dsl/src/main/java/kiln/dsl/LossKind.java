package kiln.dsl;

/** Loss terms, with PyTorch's formulas (see the fixtures' MANIFEST.json) and their default reductions ({@link Reduction}). */
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
    SOFTMAX_CROSS_ENTROPY,
    /**
     * KL divergence of the diagonal Gaussian N(mu, exp(logvar)) to N(0, I), read from a
     * {@link GaussianSample} node: -0.5 sum (1 + logvar - mu^2 - exp(logvar)). No target.
     */
    KL_DIVERGENCE,
    /** L1 activity penalty on a node's values, sum |x|: pushes codes towards sparsity. No target. */
    L1_ACTIVITY,
    /** L2 activity penalty on a node's values, sum x^2. No target. */
    L2_ACTIVITY;

    /** Whether the term compares with a target (the data's, or a node's); the penalties and the KL term do not. */
    public boolean hasTarget() {
        return this != KL_DIVERGENCE && this != L1_ACTIVITY && this != L2_ACTIVITY;
    }
}
