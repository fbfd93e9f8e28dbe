package kiln.runtime.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import kiln.dsl.Activation;

/**
 * Element-wise activations over runs of floats for the image kernels, and their derivatives taken
 * from the activation's output y (what the kernels keep). Softmax is row-wise and never reaches a
 * kernel.
 *
 * <p>Each activation has its own straight-line loop, chosen by one switch per run: a switch
 * inside the loop would merge vector values from its branches, and C2 cannot keep a merged vector
 * in registers once more than one activation has been profiled; it allocates a box per vector.
 * Scalar tails compute exactly what the vector bodies do.
 */
final class Activations {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();

    private Activations() {}

    /** {@code dst[d + i] = f(src[s + i] * scale + shift)} for i < len; dst may be src. */
    static void apply(Activation a, float[] src, int s, float scale, float shift, float[] dst, int d, int len) {
        switch (a) {
            case IDENTITY -> identity(src, s, scale, shift, dst, d, len);
            case RELU -> relu(src, s, scale, shift, dst, d, len);
            case TANH -> tanh(src, s, scale, shift, dst, d, len);
            case SIGMOID -> sigmoid(src, s, scale, shift, dst, d, len);
            case SOFTMAX -> throw new IllegalArgumentException("softmax is row-wise, not element-wise");
        }
    }

    /** {@code dst[d + i] = dy[s + i] * f'(z)}, f' written in terms of y = f(z) = {@code y[s + i]}; dst may be dy. */
    static void backward(Activation a, float[] dy, float[] y, int s, float[] dst, int d, int len) {
        switch (a) {
            case IDENTITY -> {
                if (dst != dy || d != s) System.arraycopy(dy, s, dst, d, len);
            }
            case RELU -> reluBackward(dy, y, s, dst, d, len);
            case TANH -> tanhBackward(dy, y, s, dst, d, len);
            case SIGMOID -> sigmoidBackward(dy, y, s, dst, d, len);
            case SOFTMAX -> throw new IllegalArgumentException("softmax is row-wise, not element-wise");
        }
    }

    /** One value: {@code f'(z) dy} from y = f(z), as {@link #backward} computes it. */
    static float backward(Activation a, float dy, float y) {
        return switch (a) {
            case IDENTITY -> dy;
            case RELU -> y > 0f ? dy : 0f;
            case TANH -> dy * (1f - y * y);
            case SIGMOID -> dy * (y * (1f - y));
            case SOFTMAX -> throw new IllegalArgumentException("softmax is row-wise, not element-wise");
        };
    }

    private static void identity(float[] src, int s, float scale, float shift, float[] dst, int d, int len) {
        int i = 0;
        for (int bound = S.loopBound(len); i < bound; i += L) {
            FloatVector.fromArray(S, src, s + i).fma(scale, shift).intoArray(dst, d + i);
        }
        for (; i < len; i++) dst[d + i] = Math.fma(src[s + i], scale, shift);
    }

    private static void relu(float[] src, int s, float scale, float shift, float[] dst, int d, int len) {
        int i = 0;
        for (int bound = S.loopBound(len); i < bound; i += L) {
            FloatVector.fromArray(S, src, s + i).fma(scale, shift).max(0f).intoArray(dst, d + i);
        }
        for (; i < len; i++) dst[d + i] = Math.max(Math.fma(src[s + i], scale, shift), 0f);
    }

    private static void tanh(float[] src, int s, float scale, float shift, float[] dst, int d, int len) {
        int i = 0;
        for (int bound = S.loopBound(len); i < bound; i += L) {
            VectorMath.tanh(FloatVector.fromArray(S, src, s + i).fma(scale, shift)).intoArray(dst, d + i);
        }
        for (; i < len; i++) dst[d + i] = (float) Math.tanh(Math.fma(src[s + i], scale, shift));
    }

    private static void sigmoid(float[] src, int s, float scale, float shift, float[] dst, int d, int len) {
        int i = 0;
        for (int bound = S.loopBound(len); i < bound; i += L) {
            VectorMath.sigmoid(FloatVector.fromArray(S, src, s + i).fma(scale, shift)).intoArray(dst, d + i);
        }
        for (; i < len; i++) dst[d + i] = 1f / (1f + (float) Math.exp(-Math.fma(src[s + i], scale, shift)));
    }

    private static void reluBackward(float[] dy, float[] y, int s, float[] dst, int d, int len) {
        int i = 0;
        for (int bound = S.loopBound(len); i < bound; i += L) {
            FloatVector g = FloatVector.fromArray(S, dy, s + i);
            g.blend(0f, FloatVector.fromArray(S, y, s + i).compare(VectorOperators.LE, 0f)).intoArray(dst, d + i);
        }
        for (; i < len; i++) dst[d + i] = y[s + i] > 0f ? dy[s + i] : 0f;
    }

    private static void tanhBackward(float[] dy, float[] y, int s, float[] dst, int d, int len) {
        int i = 0;
        for (int bound = S.loopBound(len); i < bound; i += L) {
            FloatVector v = FloatVector.fromArray(S, y, s + i);
            FloatVector.fromArray(S, dy, s + i).mul(v.mul(v).neg().add(1f)).intoArray(dst, d + i);
        }
        for (; i < len; i++) dst[d + i] = dy[s + i] * (1f - y[s + i] * y[s + i]);
    }

    private static void sigmoidBackward(float[] dy, float[] y, int s, float[] dst, int d, int len) {
        int i = 0;
        for (int bound = S.loopBound(len); i < bound; i += L) {
            FloatVector v = FloatVector.fromArray(S, y, s + i);
            FloatVector.fromArray(S, dy, s + i).mul(v.mul(v.neg().add(1f))).intoArray(dst, d + i);
        }
        for (; i < len; i++) dst[d + i] = dy[s + i] * (y[s + i] * (1f - y[s + i]));
    }
}
