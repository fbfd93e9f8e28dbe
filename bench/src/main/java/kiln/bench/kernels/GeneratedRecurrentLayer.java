package kiln.bench.kernels;

import java.lang.reflect.Field;
import kiln.runtime.CompiledModel;
import kiln.runtime.kernels.RecurrentProduct;

/**
 * The time loop of layer 0 of a recurrent layer in a generated model, lifted out so that it can
 * be timed alone: {@link RecurrentProduct} with the model's own step passes (the gate math and
 * state update the processor emits) on the model's own buffers.
 *
 * <p>Those passes and buffers are private fields of the generated class. They are read here by
 * reflection, once, so that the benchmark times the code the processor emits rather than a copy
 * that could drift from it. The names are the generator's ({@code lstmForwardStepL0Pass},
 * {@code lstmGatesL0}, ...); if it renames one, setup fails naming the field, and
 * {@code KernelBenchmarksSmokeTest} turns that into a build failure.
 */
final class GeneratedRecurrentLayer {
    final RecurrentProduct product;
    final RecurrentProduct.StepPass forwardStep, backwardStep;
    final float[] weightHh;   // W_hh (G*H, H)
    final float[] gates;      // (T, B, G*H): input projections, then activations (forward), then dA (backward)
    final float[] hidden;     // (T+1, B, H): h_0..h_T, h_0 = 0
    final float[] hh;         // (B, G*H): h_{t-1} W_hh^T of one step
    final float[] dhRec;      // (B, H): dL/dh_{t-1} of one step
    final float[] dcRec;      // (B, H): dL/dc_{t-1} of one step; null for cells without a cell state
    final float[] outputGrad; // (B, T, H): dL/dh_t from the layer above
    final float[] biasGrad;   // (G*H): the backward pass sums dA into it

    /** Layer {@code name} ("lstm", "rnn": the field name in the model's source) of {@code model}. */
    GeneratedRecurrentLayer(CompiledModel model, String name) {
        product = field(model, name + "Product", RecurrentProduct.class);
        forwardStep = field(model, name + "ForwardStepL0Pass", RecurrentProduct.StepPass.class);
        backwardStep = field(model, name + "BackwardStepL0Pass", RecurrentProduct.StepPass.class);
        gates = field(model, name + "GatesL0", float[].class);
        hidden = field(model, name + "HL0", float[].class);
        hh = field(model, name + "Hh", float[].class);
        dhRec = field(model, name + "DhRec", float[].class);
        dcRec = hasField(model, name + "DcRec") ? field(model, name + "DcRec", float[].class) : null;
        outputGrad = field(model, name + "Grad", float[].class);
        weightHh = model.param(name + ".weight_hh_l0").value;
        biasGrad = model.param(name + ".bias_ih_l0").grad;
    }

    private static boolean hasField(Object owner, String name) {
        try {
            owner.getClass().getDeclaredField(name);
            return true;
        } catch (NoSuchFieldException e) {
            return false;
        }
    }

    private static <T> T field(Object owner, String name, Class<T> type) {
        try {
            Field f = owner.getClass().getDeclaredField(name);
            f.setAccessible(true);
            return type.cast(f.get(owner));
        } catch (ReflectiveOperationException | ClassCastException e) {
            throw new IllegalStateException(owner.getClass().getSimpleName() + " has no " + type.getSimpleName()
                    + " field " + name + ": the generated recurrent layer changed; update " + GeneratedRecurrentLayer.class.getSimpleName(), e);
        }
    }
}
