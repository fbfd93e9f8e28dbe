package kiln.runtime.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import kiln.dsl.Activation;

/**
 * Element-wise activations for the image kernels, vector and scalar forms side by side so a
 * loop's tail computes exactly what its body does; derivatives are taken from the activation's
 * output y, which is what the kernels keep. Softmax is row-wise and never reaches a kernel.
 */
final class Activations {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

    private Activations() {}

    static FloatVector apply(Activation a, FloatVector x) {
        return switch (a) { // loop-invariant in every caller: the JIT unswitches it
            case IDENTITY -> x;
            case RELU -> x.max(0f);
            case TANH -> x.lanewise(VectorOperators.TANH);
            case SIGMOID -> FloatVector.broadcast(S, 1f).div(x.neg().lanewise(VectorOperators.EXP).add(1f));
            case SOFTMAX -> throw new IllegalArgumentException("softmax is row-wise, not element-wise");
        };
    }

    static float apply(Activation a, float x) {
        return switch (a) {
            case IDENTITY -> x;
            case RELU -> Math.max(x, 0f);
            case TANH -> (float) Math.tanh(x);
            case SIGMOID -> 1f / (1f + (float) Math.exp(-x));
            case SOFTMAX -> throw new IllegalArgumentException("softmax is row-wise, not element-wise");
        };
    }

    /** dL/dz = dL/dy * f'(z), with f'(z) written in terms of y = f(z). */
    static FloatVector backward(Activation a, FloatVector dy, FloatVector y) {
        return switch (a) {
            case IDENTITY -> dy;
            case RELU -> dy.blend(0f, y.compare(VectorOperators.LE, 0f));
            case TANH -> dy.mul(y.mul(y).neg().add(1f));
            case SIGMOID -> dy.mul(y.mul(y.neg().add(1f)));
            case SOFTMAX -> throw new IllegalArgumentException("softmax is row-wise, not element-wise");
        };
    }

    static float backward(Activation a, float dy, float y) {
        return switch (a) {
            case IDENTITY -> dy;
            case RELU -> y > 0f ? dy : 0f;
            case TANH -> dy * (1f - y * y);
            case SIGMOID -> dy * (y * (1f - y));
            case SOFTMAX -> throw new IllegalArgumentException("softmax is row-wise, not element-wise");
        };
    }

    /** Whether f never decreases, so that max(f(z)) = f(max(z)): pooling may run before the activation. */
    static boolean monotone(Activation a) {
        return a != Activation.SOFTMAX;
    }
}
