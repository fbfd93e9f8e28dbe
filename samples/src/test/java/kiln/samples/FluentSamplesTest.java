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

    /**
     * Ten momentum-SGD steps on the first ten training batches from seed 42, the two models stepped
     * in turn. Equal within float rounding, not bit for bit: these classes may already be hot from
     * other tests, and once C2 compiles a class the Vector API's lane reductions may round
     * differently than in the interpreter (the same class differs from itself in the last bit
     * before and after). The processor's FluentEquivalenceTest compares fresh twins bit for bit.
     */
    private static void assertSameTraining(CompiledModel annotated, CompiledModel fluent) throws Exception {
        assertEquals(annotated.name(), fluent.name());
        assertEquals(annotated.params().toString(), fluent.params().toString());
        Splits splits = new MnistSource().load(null, 42);
        annotated.initParams(42);
        fluent.initParams(42);
        Optimizer annotatedOpt = Optimizers.create("momentum", annotated.params(), 0.05);
        Optimizer fluentOpt = Optimizers.create("momentum", fluent.params(), 0.05);
        Batch batch = new Batch(64, annotated.inputSize(), annotated.targetSize());
        float first = 0;
        float last = 0;
        for (int step = 0; step < 10; step++) {
            splits.train().copyRange(step * 64, 64, batch);
            last = step(annotated, annotatedOpt, batch);
            assertEquals(last, step(fluent, fluentOpt, batch), 1e-5 * Math.abs(last), "loss at step " + (step + 1));
            if (step == 0) first = last;
        }
        assertTrue(last < first, "the loss falls: " + first + " to " + last);
        for (int i = 0; i < annotated.params().size(); i++) {
            float[] expected = annotated.params().get(i).value;
            float[] actual = fluent.params().get(i).value;
            for (int j = 0; j < expected.length; j++) {
                assertEquals(expected[j], actual[j], 1e-5f, annotated.params().get(i).name + "[" + j + "]");
            }
        }
    }

    private static float step(CompiledModel model, Optimizer opt, Batch batch) {
        model.forward(batch.x, batch.size);
        float loss = model.lossAndGrad(batch);
        model.backward(batch.x, batch.size);
        opt.step();
        return loss;
    }
}
