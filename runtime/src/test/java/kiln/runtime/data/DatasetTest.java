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

    @Test
    void namedInputsFeedTheBatchInputsOfTheirName() {
        Dataset d = Dataset.ofLabels("pair", java.util.List.of(new Dataset.Input("image", new float[] {1, 2, 3, 4}, 2),
                new Dataset.Input("tokens", new float[] {7, 8}, 1)), new int[] {0, 1});
        kiln.runtime.Batch b = new kiln.runtime.Batch(2, java.util.List.of("tokens", "image"), new int[] {1, 2}, 0, 1);
        d.copyRange(0, 2, b);
        assertArrayEquals(new float[] {7, 8}, b.input("tokens"));
        assertArrayEquals(new float[] {1, 2, 3, 4}, b.input("image"));
        d.copySample(1, b, 0);
        assertArrayEquals(new float[] {3, 4, 3, 4}, b.input("image"));
        assertEquals(1, b.labels[0]);
        assertEquals(java.util.List.of("image", "tokens"), d.batch(3).inputNames);

        kiln.runtime.Batch other = new kiln.runtime.Batch(2, java.util.List.of("audio"), new int[] {2}, 0, 1);
        assertEquals("pair: the batch cannot take its samples: it has no input 'audio' here; this data set has [image, tokens]",
                assertThrows(IllegalArgumentException.class, () -> d.checkBatch(other, 2)).getMessage());
    }

    @Test
    void checkFitsNamesAMissingInputAndAcceptsAModelWithoutTargetsOnAnyData() {
        try (SoftmaxRegression model = new SoftmaxRegression(4, 2, 3)) {
            Dataset named = Dataset.ofLabels("named", java.util.List.of(new Dataset.Input("pixels", new float[4], 2)), new int[] {0, 1});
            assertEquals("named: has no input 'input', which model SoftmaxRegression reads; it has [pixels]",
                    assertThrows(DataException.class, () -> named.checkFits(model)).getMessage());
            Dataset extra = Dataset.ofLabels("extra", java.util.List.of(new Dataset.Input("input", new float[4], 2),
                    new Dataset.Input("caption", new float[6], 3)), new int[] {0, 1});
            assertDoesNotThrow(() -> extra.checkFits(model), "an input no model reads is left alone");
            Dataset bare = Dataset.ofInputs("bare", java.util.List.of(new Dataset.Input(null, new float[4], 2)));
            assertEquals("bare: has no labels but model SoftmaxRegression expects class labels",
                    assertThrows(DataException.class, () -> bare.checkFits(model)).getMessage());
        }
        try (var autoencoder = new kiln.runtime.train.TinyAutoencoder(4, 2, 1)) {
            assertDoesNotThrow(() -> threeSamples(0, 1, 7).checkFits(autoencoder), "labels unused by a model without targets");
            assertDoesNotThrow(() -> Dataset.ofInputs("bare", java.util.List.of(new Dataset.Input(null, new float[4], 2))).checkFits(autoencoder));
            kiln.runtime.Batch b = kiln.runtime.Batch.forModel(autoencoder, 3);
            threeSamples(0, 1, 7).copyRange(0, 3, b); // labels go to a batch that holds them unused
            assertArrayEquals(new float[] {0, 1, 2, 3, 4, 5}, b.x);
        }
    }
}
