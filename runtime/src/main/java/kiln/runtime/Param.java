package kiln.runtime;

import java.util.Arrays;

/**
 * One trainable tensor: its value and the gradient of the loss with respect to it, both flat
 * row-major float arrays in PyTorch's layout (a dense weight is [out, in]).
 */
public final class Param {
    public final String name;
    private final int[] shape;
    public final float[] value;
    public final float[] grad;
    /** Whether weight decay applies (optimizers may exempt biases when asked to). */
    public final boolean isBias;

    public Param(String name, boolean isBias, int... shape) {
        this.name = name;
        this.isBias = isBias;
        this.shape = shape.clone();
        int size = 1;
        for (int d : shape) size = Math.multiplyExact(size, d);
        this.value = new float[size];
        this.grad = new float[size];
    }

    public int size() {
        return value.length;
    }

    public int[] shape() {
        return shape.clone();
    }

    @Override
    public String toString() {
        return name + Arrays.toString(shape);
    }
}
