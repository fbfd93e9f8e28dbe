package kiln.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import kiln.runtime.Batch;
import kiln.runtime.CompiledModel;
import kiln.runtime.data.MnistSource;
import kiln.runtime.data.Splits;
import kiln.runtime.optim.Optimizer;
import kiln.runtime.optim.Optimizers;
import org.junit.jupiter.api.Test;

/**
 * The fluent samples ({@code kiln.samples.fluent.FluentModels}) train as their annotated twins:
 * same parameters, and the same losses and parameters after steps on real MNIST batches.
 */
class FluentSamplesTest {
    @Test
    void fluentMnistMlpTrainsAsTheAnnotatedOne() throws Exception {
        try (var annotated = new kiln.samples.mnist.MnistMlpModel(64, 2);
             var fluent = new kiln.samples.fluent.MnistMlpModel(64, 2)) {
            assertSameTraining(annotated, fluent);
        }
    }

    @Test
    void fluentResidualMlpTrainsAsTheAnnotatedOne() throws Exception {
        try (var annotated = new kiln.samples.mnist.ResidualMlpModel(64, 1);
             var fluent = new kiln.samples.fluent.ResidualMlpModel(64, 1)) {
            assertSameTraining(annotated, fluent);
        }
    }

    @Test
    void fluentLeNetTrainsAsTheAnnotatedOne() throws Exception {
        try (var annotated = new kiln.samples.conv.LeNetMnistModel(64, 2);
             var fluent = new kiln.samples.fluent.LeNetMnistModel(64, 2)) {
            assertSameTraining(annotated, fluent);
        }
    }

    @Test
    void fluentVaeTrainsAsTheAnnotatedOne() throws Exception {
        try (var annotated = new kiln.samples.generative.VaeModel(64, 2);
             var fluent = new kiln.samples.fluent.VaeModel(64, 2)) {
            assertSameTraining(annotated, fluent, "adam", 1e-3); // its loss is a sum over the batch: SGD at 0.05 diverges
        }
    }

    @Test
    void fluentDiscriminatorTrainsAsTheAnnotatedOne() throws Exception {
        try (var annotated = new kiln.samples.generative.DiscriminatorModel(64, 1);
             var fluent = new kiln.samples.fluent.DiscriminatorModel(64, 1)) {
            assertSameTraining(annotated, fluent);
        }
    }

    @Test
    void fluentGeneratorIsTheAnnotatedOne() {
        try (var annotated = new kiln.samples.generative.GeneratorModel(8, 1);
             var fluent = new kiln.samples.fluent.GeneratorModel(8, 1)) {
            assertEquals(annotated.params().toString(), fluent.params().toString());
            assertEquals(annotated.outputNames(), fluent.outputNames());
            assertEquals(annotated.nodeNames(), fluent.nodeNames());
        }
    }

    /**
     * Ten steps (momentum SGD unless said) on the first ten training batches from seed 42, the two models stepped
     * in turn: the same losses and parameters, bit for bit (kernels give the same bits interpreted
     * and compiled, so it does not matter which class the JIT compiled first). Labels are the
     * digits; a model without targets (the VAE) ignores them.
     */
    private static void assertSameTraining(CompiledModel annotated, CompiledModel fluent) throws Exception {
        assertSameTraining(annotated, fluent, "momentum", 0.05);
    }

    private static void assertSameTraining(CompiledModel annotated, CompiledModel fluent, String optimizer, double lr) throws Exception {
        assertEquals(annotated.name(), fluent.name());
        assertEquals(annotated.params().toString(), fluent.params().toString());
        Splits splits = new MnistSource().load(null, 42);
        annotated.initParams(42);
        fluent.initParams(42);
        Optimizer annotatedOpt = Optimizers.create(optimizer, annotated.params(), lr);
        Optimizer fluentOpt = Optimizers.create(optimizer, fluent.params(), lr);
        Batch batch = Batch.forModel(annotated, 64);
        float first = 0;
        float last = 0;
        for (int step = 0; step < 10; step++) {
            splits.train().copyRange(step * 64, 64, batch);
            last = step(annotated, annotatedOpt, batch);
            assertEquals(last, step(fluent, fluentOpt, batch), "loss at step " + (step + 1));
            if (step == 0) first = last;
        }
        assertTrue(last < first, "the loss falls: " + first + " to " + last);
        for (int i = 0; i < annotated.params().size(); i++) {
            float[] expected = annotated.params().get(i).value;
            float[] actual = fluent.params().get(i).value;
            for (int j = 0; j < expected.length; j++) {
                assertEquals(expected[j], actual[j], annotated.params().get(i).name + "[" + j + "]");
            }
        }
    }

    private static float step(CompiledModel model, Optimizer opt, Batch batch) {
        model.seedRandom(batch.size); // the VAE's sample: the same draws for both
        model.forward(batch);
        float loss = model.lossAndGrad(batch);
        model.backward();
        opt.step();
        return loss;
    }
}
