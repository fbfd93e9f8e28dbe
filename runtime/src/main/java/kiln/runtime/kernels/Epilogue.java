package kiln.runtime.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * What the forward GEMM ({@link Gemm#nt}) does to each output once the full k reduction is done:
 * add {@code bias[n]}, then the activation. It runs on each micro-tile as soon as the last k block
 * has been accumulated into it, while the tile is still in L1, so a dense layer makes one pass
 * over its activations instead of three.
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

    /** Whether this epilogue reads a bias vector. */
    public boolean hasBias() {
        return this != NONE;
    }

    /**
     * {@code x[at + q] = act(x[at + q] + bias[biasAt + q])} for q in [0, len): run on a tile of C
     * right after the micro-kernel stored it, while it is still in L1.
     */
    void applyInPlace(float[] x, int at, int len, float[] bias, int biasAt) {
        applyInPlace(x, at, len, bias, biasAt, false);
    }

    /** As above; with {@code oneBias} every element gets {@code bias[biasAt]} (a transposed tile row). */
    void applyInPlace(float[] x, int at, int len, float[] bias, int biasAt, boolean oneBias) {
        if (this == NONE) return;
        // One straight-line loop per case, chosen here: a switch or a ternary inside the loop merges
        // vector values, and once C2 has profiled more than one case it boxes the merged vector,
        // an allocation per vector (seen in a JVM that had run tanh and sigmoid models first).
        int q = switch (this) {
            case NONE, BIAS -> oneBias ? plus(x, at, len, bias[biasAt]) : plus(x, at, len, bias, biasAt);
            case BIAS_RELU -> oneBias ? relu(x, at, len, bias[biasAt]) : relu(x, at, len, bias, biasAt);
            case BIAS_SIGMOID -> oneBias ? sigmoid(x, at, len, bias[biasAt]) : sigmoid(x, at, len, bias, biasAt);
            case BIAS_TANH -> oneBias ? tanh(x, at, len, bias[biasAt]) : tanh(x, at, len, bias, biasAt);
        };
        for (; q < len; q++) x[at + q] = apply(x[at + q], bias[oneBias ? biasAt : biasAt + q]);
    }

    // The vector bodies: x[at + q] = act(x[at + q] + bias) for q below the loop bound, which they return.

    private static int plus(float[] x, int at, int len, float b) {
        int q = 0;
        for (int bound = S.loopBound(len); q < bound; q += S.length()) {
            FloatVector.fromArray(S, x, at + q).add(b).intoArray(x, at + q);
        }
        return q;
    }

    private static int plus(float[] x, int at, int len, float[] bias, int biasAt) {
        int q = 0;
        for (int bound = S.loopBound(len); q < bound; q += S.length()) {
            FloatVector.fromArray(S, x, at + q).add(FloatVector.fromArray(S, bias, biasAt + q)).intoArray(x, at + q);
        }
        return q;
    }

    private static int relu(float[] x, int at, int len, float b) {
        int q = 0;
        for (int bound = S.loopBound(len); q < bound; q += S.length()) {
            FloatVector.fromArray(S, x, at + q).add(b).max(0f).intoArray(x, at + q);
        }
        return q;
    }

    private static int relu(float[] x, int at, int len, float[] bias, int biasAt) {
        int q = 0;
        for (int bound = S.loopBound(len); q < bound; q += S.length()) {
            FloatVector.fromArray(S, x, at + q).add(FloatVector.fromArray(S, bias, biasAt + q)).max(0f).intoArray(x, at + q);
        }
        return q;
    }

    private static int sigmoid(float[] x, int at, int len, float b) {
        int q = 0;
        for (int bound = S.loopBound(len); q < bound; q += S.length()) {
            VectorMath.sigmoid(FloatVector.fromArray(S, x, at + q).add(b)).intoArray(x, at + q);
        }
        return q;
    }

    private static int sigmoid(float[] x, int at, int len, float[] bias, int biasAt) {
        int q = 0;
        for (int bound = S.loopBound(len); q < bound; q += S.length()) {
            VectorMath.sigmoid(FloatVector.fromArray(S, x, at + q).add(FloatVector.fromArray(S, bias, biasAt + q))).intoArray(x, at + q);
        }
        return q;
    }

    private static int tanh(float[] x, int at, int len, float b) {
        int q = 0;
        for (int bound = S.loopBound(len); q < bound; q += S.length()) {
            VectorMath.tanh(FloatVector.fromArray(S, x, at + q).add(b)).intoArray(x, at + q);
        }
        return q;
    }

    private static int tanh(float[] x, int at, int len, float[] bias, int biasAt) {
        int q = 0;
        for (int bound = S.loopBound(len); q < bound; q += S.length()) {
            VectorMath.tanh(FloatVector.fromArray(S, x, at + q).add(FloatVector.fromArray(S, bias, biasAt + q))).intoArray(x, at + q);
        }
        return q;
    }

    /** One output: {@code act(v + bias)}, or {@code v} for {@link #NONE}. */
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
