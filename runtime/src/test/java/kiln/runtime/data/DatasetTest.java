package kiln.runtime.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import kiln.runtime.train.SoftmaxRegression;
import org.junit.jupiter.api.Test;

class DatasetTest {
    private static Dataset threeSamples(int... labels) {
        return Dataset.ofLabels("toy", new float[] {0, 1, 2, 3, 4, 5}, 2, labels);
    }

    @Test
    void subsetCopies() {
        Dataset d = threeSamples(0, 1, 2);
        Dataset s = d.subset(1, 3);
        assertEquals(2, s.size());
        assertArrayEquals(new float[] {2, 3, 4, 5}, s.x());
        assertArrayEquals(new int[] {1, 2}, s.labels());
        s.x()[0] = 99;
        assertEquals(2, d.x()[2]);
    }

    @Test
    void sizesMustAgree() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> threeSamples(0, 1));
        assertEquals("toy: 3 input samples but 2 labels", e.getMessage());
    }

    @Test
    void checkFitsNamesTheMismatch() {
        try (SoftmaxRegression model = new SoftmaxRegression(4, 2, 3)) {
            assertDoesNotThrow(() -> threeSamples(0, 1, 2).checkFits(model));

            DataException e = assertThrows(DataException.class, () -> threeSamples(0, 3, 1).checkFits(model));
            assertEquals("toy: label 3 at sample 1 is outside the 3 classes (0..2) of model SoftmaxRegression", e.getMessage());

            Dataset wide = Dataset.ofLabels("wide", new float[6], 3, new int[] {0, 0});
            e = assertThrows(DataException.class, () -> wide.checkFits(model));
            assertEquals("wide: samples have 3 inputs but model SoftmaxRegression takes 2", e.getMessage());

            Dataset dense = Dataset.ofTargets("dense", new float[4], 2, new float[2], 1);
            e = assertThrows(DataException.class, () -> dense.checkFits(model));
            assertEquals("dense: has dense targets but model SoftmaxRegression expects class labels", e.getMessage());
        }
    }
}
