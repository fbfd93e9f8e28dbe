package kiln.runtime;

import java.util.Arrays;

/**
 * One tensor of a model: its value and the gradient of the loss with respect to it, both flat
 * row-major float arrays in PyTorch's layout (a dense weight is [out, in]).
 *
 * <p>What the model declared for it travels with it: a frozen parameter keeps its value (no
 * gradient is computed for it, no optimizer takes it); {@link #lrScale} multiplies the learning
 * rate of the optimizer that updates it; {@link #weightDecay}, when not NaN, replaces that
 * optimizer's weight decay for it.
 */
public final class Param {
    public final String name;
    private final int[] shape;
    public final float[] value;
    public final float[] grad;
    /** Whether weight decay applies (optimizers may exempt biases when asked to). */
    public final boolean isBias;
    private boolean frozen;
    private double lrScale = 1;
    private double weightDecay = Double.NaN;

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

    /** Whether the parameter is fixed: no optimizer takes it (see {@link CompiledModel#trainableParams()}). */
    public boolean frozen() {
        return frozen;
    }

    /**
     * Freezes or unfreezes the parameter before optimizers are built from the model (a pretrained
     * encoder, fine-tuned later). A parameter frozen in the model's declaration gets no gradient
     * from backward; one frozen here only stops being updated.
     */
    public void setFrozen(boolean frozen) {
        this.frozen = frozen;
    }

    /** The factor on the learning rate for this parameter (1 unless declared otherwise). */
    public double lrScale() {
        return lrScale;
    }

    /** This parameter's own weight decay, or NaN for the optimizer's. */
    public double weightDecay() {
        return weightDecay;
    }

    /** Sets the per-parameter settings (generated constructors call this for what the model declared). */
    public Param configure(boolean frozen, double lrScale, double weightDecay) {
        if (!(lrScale > 0) || Double.isInfinite(lrScale)) throw new IllegalArgumentException(name + ": lrScale must be > 0, got " + lrScale);
        if (weightDecay < 0 || Double.isInfinite(weightDecay)) {
            throw new IllegalArgumentException(name + ": weightDecay must be >= 0 or NaN, got " + weightDecay);
        }
        this.frozen = frozen;
        this.lrScale = lrScale;
        this.weightDecay = weightDecay;
        return this;
    }

    @Override
    public String toString() {
        return name + Arrays.toString(shape);
    }
}
