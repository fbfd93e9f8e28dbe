package kiln.runtime.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * What the forward GEMM ({@link Gemm#nt}) does to each output once the full k reduction is done,
 * while the tile is still in registers: add {@code bias[n]}, then the activation. Fusing it saves
 * a pass over the activations after every dense layer.
 */
public enum Epilogue {
    /** Plain {@code A·B^T}; the bias array is not read and may be null. */
    NONE,
    BIAS,
    BIAS_RELU,
    /** {@code 1 / (1 + exp(-x))}: exp overflows to infinity for very negative x, giving exactly 0. */
    BIAS_SIGMOID,
    BIAS_TANH;

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final FloatVector ONE = FloatVector.broadcast(S, 1f);

    /** Whether this epilogue reads a bias vector. */
    public boolean hasBias() {
        return this != NONE;
    }

    /** The lanes of {@code v} plus {@code bias[at .. at + lanes)}, activated. */
    FloatVector apply(FloatVector v, float[] bias, int at) {
        if (this == NONE) return v;
        FloatVector x = v.add(FloatVector.fromArray(S, bias, at));
        return switch (this) {
            case NONE, BIAS -> x;
            case BIAS_RELU -> x.max(0f);
            case BIAS_SIGMOID -> ONE.div(x.neg().lanewise(VectorOperators.EXP).add(1f));
            case BIAS_TANH -> x.lanewise(VectorOperators.TANH);
        };
    }

    /** Scalar twin of {@link #apply(FloatVector, float[], int)}, for edge tiles. */
    float apply(float v, float bias) {
        float x = v + bias;
        return switch (this) {
            case NONE -> v;
            case BIAS -> x;
            case BIAS_RELU -> Math.max(x, 0f);
            case BIAS_SIGMOID -> 1f / (1f + (float) Math.exp(-x));
            case BIAS_TANH -> (float) Math.tanh(x);
        };
    }
}
