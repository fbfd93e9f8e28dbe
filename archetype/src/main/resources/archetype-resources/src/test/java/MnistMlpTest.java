package ${package};

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import kiln.runtime.Batch;
import kiln.runtime.data.MnistSource;
import kiln.runtime.optim.Sgd;
import org.junit.jupiter.api.Test;

/** The generated model on 64 of the bundled MNIST images: shapes, and one training step. */
class MnistMlpTest {
    private static final int BATCH = 64;

    private static Batch firstImages(MnistMlpModel model) throws Exception {
        Batch batch = Batch.forModel(model, BATCH);
        new MnistSource().load(null, 42).train().copyRange(0, BATCH, batch);
        batch.size = BATCH;
        return batch;
    }

    @Test
    void forwardGivesTenClassProbabilitiesPerImage() throws Exception {
        try (var model = new MnistMlpModel(BATCH, 1)) {
            model.initParams(42);
            assertArrayEquals(new int[] {784}, model.shapeOf("image"));
            assertArrayEquals(new int[] {128}, model.shapeOf("hidden"));
            assertArrayEquals(new int[] {10}, model.shapeOf("logits"));
            float[] probabilities = model.predict(firstImages(model));
            for (int row = 0; row < BATCH; row++) {
                float sum = 0;
                for (int c = 0; c < 10; c++) sum += probabilities[row * 10 + c];
                assertEquals(1, sum, 1e-4, "probabilities of image " + row);
            }
        }
    }

    @Test
    void oneTrainingStepLowersTheLoss() throws Exception {
        try (var model = new MnistMlpModel(BATCH, 1)) {
            model.initParams(42);
            Batch batch = firstImages(model);
            var sgd = new Sgd(model.trainableParams(), 0.05, 0, 0, false);
            model.forward(batch);
            float before = model.lossAndGrad(batch);
            model.backward();
            sgd.step();
            model.forward(batch);
            float after = model.loss(batch);
            assertTrue(after < before, "loss " + before + " before the step, " + after + " after");
        }
    }
}
