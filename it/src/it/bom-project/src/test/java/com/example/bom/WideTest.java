package com.example.bom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class WideTest {
    @Test
    void predictsTenProbabilitiesPerImage() {
        try (var model = new WideModel(4, 1)) {
            model.initParams(1);
            assertArrayEquals(new int[] {96}, model.shapeOf("hidden"));
            float[] p = model.predict(new float[4 * 784], 4);
            float sum = 0;
            for (int c = 0; c < 10; c++) sum += p[c];
            assertEquals(1, sum, 1e-5);
        }
    }
}
