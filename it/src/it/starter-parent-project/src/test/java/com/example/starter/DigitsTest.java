package com.example.starter;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import kiln.runtime.Batch;
import kiln.runtime.data.MnistSource;
import kiln.runtime.optim.Sgd;
import org.junit.jupiter.api.Test;

class DigitsTest {
    @Test
    void shapes() {
        try (var model = new DigitsModel(8, 1)) {
            assertArrayEquals(new int[] {64}, model.shapeOf("hidden1"));
            assertArrayEquals(new int[] {10}, model.shapeOf("logits"));
        }
    }

    @Test
    void oneStepLowersTheLoss() throws Exception {
        try (var model = new DigitsModel(32, 1)) {
            model.initParams(7);
            Batch batch = Batch.forModel(model, 32);
            new MnistSource().load(null, 7).train().copyRange(0, 32, batch);
            batch.size = 32;
            var sgd = new Sgd(model.trainableParams(), 0.05, 0, 0, false);
            model.forward(batch);
            float before = model.lossAndGrad(batch);
            model.backward();
            sgd.step();
            model.forward(batch);
            assertTrue(model.loss(batch) < before);
        }
    }
}
