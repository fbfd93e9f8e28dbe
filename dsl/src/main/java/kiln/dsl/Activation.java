package kiln.dsl;

/** Element-wise non-linearities, and the row-wise softmax. */
public enum Activation {
    IDENTITY,
    SIGMOID,
    TANH,
    RELU,
    /** Normalises each sample's values to probabilities; not element-wise, so never fused into a matmul. */
    SOFTMAX
}
