package kiln.dsl;

/** How a weight tensor is initialised before training. Biases start at zero unless stated. */
public enum Init {
    /** Normal(0, sqrt(2 / fanIn)): He et al., for ReLU networks. */
    HE_NORMAL,
    /** Uniform(+-sqrt(6 / fanIn)): He et al., uniform variant. */
    HE_UNIFORM,
    /** Uniform(+-sqrt(6 / (fanIn + fanOut))): Glorot and Bengio, for tanh and sigmoid. */
    XAVIER_UNIFORM,
    /** Normal(0, sqrt(2 / (fanIn + fanOut))). */
    XAVIER_NORMAL,
    /** All zeros: for biases, and for linear models where symmetry does not matter. */
    ZEROS,
    /** All ones: batch-norm scales. */
    ONES,
    /** Normal(0, 1): PyTorch's default for embedding tables. */
    NORMAL,
    /**
     * Uniform(+-1/sqrt(fanIn)): PyTorch's default for Linear weights, and for every weight and bias
     * of RNN, LSTM and GRU layers (there fanIn is the hidden size).
     */
    PYTORCH_UNIFORM
}
