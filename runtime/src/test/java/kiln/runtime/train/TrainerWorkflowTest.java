package kiln.runtime.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import kiln.runtime.data.Dataset;
import kiln.runtime.data.Splits;
import kiln.runtime.optim.CosineAnnealing;
import kiln.runtime.optim.Optimizer;
import kiln.runtime.optim.Optimizers;
import kiln.runtime.optim.ReduceOnPlateau;
import kiln.runtime.optim.StepDecay;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The trainer's schedules, early stopping, clipping, divergence checks, metrics log and curves. */
class TrainerWorkflowTest {
    @TempDir
    Path dir;

    private final ByteArrayOutputStream log = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(log, true, StandardCharsets.UTF_8);

    private String log() {
        return log.toString(StandardCharsets.UTF_8);
    }

    private static SoftmaxRegression model() {
        SoftmaxRegression m = new SoftmaxRegression(32, SyntheticData.INPUTS, 2);
        m.initParams(3);
        return m;
    }

    /** The lr column of a metrics log. */
    private static double[] rates(Path csv) throws Exception {
        List<String> lines = Files.readAllLines(csv);
        assertEquals("epoch,step,lr,train_loss,train_accuracy,val_loss,val_accuracy,seconds", lines.get(0), "a classifier's columns, as ever");
        return lines.stream().skip(1).mapToDouble(l -> Double.parseDouble(l.split(",")[2])).toArray();
    }

    @Test
    void stepScheduleHalvesTheRateEveryEpochAndTheLogSaysSo() throws Exception {
        Path csv = dir.resolve("m.csv");
        try (SoftmaxRegression m = model()) {
            Optimizer sgd = Optimizers.create("sgd", m.params(), 0.4);
            new Trainer().fit(m, sgd, SyntheticData.splits(500, 1),
                    new TrainConfig(3, 32, 7, null, null).withSchedule(new StepDecay(1, 0.5)).withLog(csv, null), out);
        }
        assertArrayEquals(new double[] {0.4, 0.2, 0.1}, rates(csv), 1e-12);
        assertTrue(log().contains("epoch 2/3  train loss") && log().contains("  lr 0.2000"), log());
    }

    @Test
    void cosineEndsItsLastEpochNearTheMinimum() throws Exception {
        Path csv = dir.resolve("m.csv");
        try (SoftmaxRegression m = model()) {
            new Trainer().fit(m, Optimizers.create("adam", m.params(), 0.1), SyntheticData.splits(320, 1),
                    new TrainConfig(2, 32, 7, null, null).withSchedule(new CosineAnnealing(2, 0, 0)).withLog(csv, null), out);
        }
        // 10 steps per epoch; the last step of epoch 2 is at 1.9 of 2 epochs: 0.1 * (1 + cos(0.95 pi)) / 2.
        double[] r = rates(csv);
        assertEquals(0.1 * (1 + Math.cos(Math.PI * 0.45)) / 2, r[0], 1e-12);
        assertEquals(0.1 * (1 + Math.cos(Math.PI * 0.95)) / 2, r[1], 1e-12);
    }

    @Test
    void plateauCutsTheRateWhenValidationStopsImproving() throws Exception {
        Path csv = dir.resolve("m.csv");
        try (SoftmaxRegression m = model()) {
            // A threshold of 90% means no later epoch counts as better than the first.
            ReduceOnPlateau plateau = new ReduceOnPlateau(ReduceOnPlateau.Mode.MIN, 0.1, 0, 0.9, 0, 0);
            new Trainer().fit(m, Optimizers.create("sgd", m.params(), 0.5), SyntheticData.splits(300, 1),
                    new TrainConfig(3, 32, 7, null, null).withSchedule(plateau).withLog(csv, null), out);
        }
        // Epoch 1 sets the best; epoch 2 is bad, one more than patience 0, so epoch 3 runs at a tenth.
        assertArrayEquals(new double[] {0.5, 0.5, 0.05}, rates(csv), 1e-12);
        assertTrue(log().contains("lr 0.5000 -> 0.05000"), log());
    }

    @Test
    void earlyStoppingStopsAndEndsWithTheBestEpochsWeights() throws Exception {
        // The validation labels are the training rule inverted: the better the model learns, the worse
        // its validation loss, so epoch 1 stays the best and patience 2 stops after epoch 3.
        Splits base = SyntheticData.splits(600, 4);
        Dataset v = base.validation();
        int[] flipped = v.labels().clone();
        for (int i = 0; i < flipped.length; i++) flipped[i] = 1 - flipped[i];
        Splits data = new Splits(base.train(), Dataset.ofLabels("inverted validation", v.x(), v.inputSize(), flipped), base.test());
        float[] afterOneEpoch;
        try (SoftmaxRegression m = model()) {
            new Trainer().fit(m, Optimizers.create("sgd", m.params(), 0.5), data, new TrainConfig(1, 32, 7, null, null), out);
            afterOneEpoch = m.param("linear.weight").value.clone();
        }
        log.reset();
        try (SoftmaxRegression m = model()) {
            TrainResult r = new Trainer().fit(m, Optimizers.create("sgd", m.params(), 0.5), data,
                    new TrainConfig(10, 32, 7, null, null).withEarlyStopping(new EarlyStopping(2, 0)), out);
            assertEquals(3, r.epoch());
            assertEquals(1, r.bestEpoch());
            assertTrue(r.stoppedEarly());
            assertArrayEquals(afterOneEpoch, m.param("linear.weight").value);
        }
        String log = log();
        assertTrue(log.contains("no improvement 2/2"), log);
        assertTrue(log.contains("early stopping after epoch 3: validation loss has not improved for 2 epochs (best "), log);
        assertTrue(log.contains("restored the best weights: epoch 1, validation loss "), log);
        assertFalse(log.contains("epoch 4/10"), log);
    }

    @Test
    void clippingByNormBoundsEveryStep() throws Exception {
        try (SoftmaxRegression m = model()) {
            float[] w0 = m.param("linear.weight").value.clone(), b0 = m.param("linear.bias").value.clone();
            new Trainer().fit(m, Optimizers.create("sgd", m.params(), 1.0), SyntheticData.splits(320, 1),
                    new TrainConfig(1, 32, 7, null, null).withClipping(1e-3, 0), out);
            double moved = 0;
            for (int i = 0; i < w0.length; i++) moved += Math.pow(m.param("linear.weight").value[i] - w0[i], 2);
            for (int i = 0; i < b0.length; i++) moved += Math.pow(m.param("linear.bias").value[i] - b0[i], 2);
            // 10 plain SGD steps of lr 1 on gradients of norm <= 1e-3 move the weights by at most 1e-2.
            assertTrue(Math.sqrt(moved) <= 10 * 1e-3 * (1 + 1e-5), "moved " + Math.sqrt(moved));
            assertTrue(Math.sqrt(moved) > 5e-3, "clipped steps still move: " + Math.sqrt(moved));
        }
    }

    @Test
    void aNanGradientStopsTrainingNamingTheParameter() {
        try (SoftmaxRegression m = model()) {
            m.nanGradientOnCall = 5;
            TrainingDivergedException e = assertThrows(TrainingDivergedException.class, () -> new Trainer().fit(m,
                    Optimizers.create("sgd", m.params(), 0.5), SyntheticData.splits(2000, 1), new TrainConfig(2, 32, 7, null, null), out));
            assertEquals("gradient of linear.weight became NaN at epoch 1, step 5 (batch 5 of 63); training stopped; "
                    + "no checkpoint was saved; try a lower learning rate or gradient clipping", e.getMessage());
        }
    }

    @Test
    void aNanLossNamesTheParameterAlreadyBroken() {
        try (SoftmaxRegression m = model()) {
            m.param("linear.bias").value[1] = Float.POSITIVE_INFINITY;
            TrainingDivergedException e = assertThrows(TrainingDivergedException.class, () -> new Trainer().fit(m,
                    Optimizers.create("sgd", m.params(), 0.5), SyntheticData.splits(2000, 1), new TrainConfig(2, 32, 7, null, null), out));
            assertTrue(e.getMessage().startsWith("loss became NaN at epoch 1, step 1 (batch 1 of 63), parameter linear.bias holding "
                    + "Infinity; training stopped"), e.getMessage());
        }
    }

    @Test
    void checkpointBringsAMetricsLogAndCurvesAlong() throws Exception {
        Path ckpt = dir.resolve("run.safetensors");
        try (SoftmaxRegression m = model()) {
            new Trainer().fit(m, Optimizers.create("momentum", m.params(), 0.1), SyntheticData.splits(400, 1),
                    new TrainConfig(3, 32, 7, ckpt, null), out);
        }
        List<String> csv = Files.readAllLines(dir.resolve("run.metrics.csv"));
        assertEquals(4, csv.size(), csv.toString());
        assertTrue(csv.get(3).startsWith("3,39,0.1,"), csv.get(3));
        BufferedImage png = ImageIO.read(dir.resolve("run.curves.png").toFile());
        assertEquals(CurvePlot.WIDTH, png.getWidth());
        assertEquals(CurvePlot.HEIGHT, png.getHeight());
        assertTrue(log().contains("curves: " + dir.resolve("run.curves.png")), log());

        // JSON lines when asked for, with undefined figures as null.
        TrainingHistory h = TrainingHistory.parseCsv(String.join("\n", csv), 2);
        assertEquals(2, h.records().size());
        Path jsonl = dir.resolve("m.jsonl");
        MetricsLog.write(jsonl, h);
        String first = Files.readAllLines(jsonl).get(0);
        assertTrue(first.startsWith("{\"epoch\":1,\"step\":13,\"lr\":0.1,\"train_loss\":"), first);
    }

    @Test
    void aModelWithSeveralLossTermsReportsEachBesideTheTotal() throws Exception {
        Path ckpt = dir.resolve("ae.safetensors");
        TrainResult r;
        try (TinyAutoencoder m = new TinyAutoencoder(32, SyntheticData.INPUTS, 2)) {
            m.initParams(3);
            // The synthetic data's labels go unused: an autoencoder's target is its own input.
            r = new Trainer().fit(m, Optimizers.create("adam", m.params(), 0.01), SyntheticData.splits(640, 2),
                    new TrainConfig(3, 32, 7, ckpt, null).withEarlyStopping(new EarlyStopping(5, 0)).withMonitor(Monitor.parse("reconstruction")),
                    out);
        }
        String log = log();
        assertTrue(log.matches("(?s).*epoch 1/3  \\[#.*loss \\d\\.\\d{4}  reconstruction \\d\\.\\d{4}  code \\d\\.\\d{4}  [\\d,]+ samples/s.*"), log);
        assertTrue(log.matches("(?s).*epoch 3/3  train loss \\d\\.\\d{4}  reconstruction \\d\\.\\d{4}  code \\d\\.\\d{4}"
                + "  val loss \\d\\.\\d{4}  reconstruction \\d\\.\\d{4}  code \\d\\.\\d{4}  .*"), log);
        assertTrue(log.contains("test  loss ") && log.contains("reconstruction"), log);
        List<String> csv = Files.readAllLines(dir.resolve("ae.metrics.csv"));
        assertEquals("epoch,step,lr,train_loss,train_reconstruction,train_code,val_loss,val_reconstruction,val_code,seconds", csv.get(0));
        for (String line : csv.subList(1, csv.size())) {
            String[] f = line.split(",");
            for (int side : new int[] {3, 6}) { // the total is the weighted sum of the unweighted terms
                double loss = Double.parseDouble(f[side]), sum = Double.parseDouble(f[side + 1]) + TinyAutoencoder.CODE_WEIGHT * Double.parseDouble(f[side + 2]);
                assertEquals(sum, loss, 1e-6 * sum, line);
            }
        }
        assertTrue(r.validation().keySet().containsAll(List.of("loss", "reconstruction", "code")), r.validation().toString());
        assertEquals(CurvePlot.WIDTH, ImageIO.read(dir.resolve("ae.curves.png").toFile()).getWidth(), "the curves are drawn");

        try (TinyAutoencoder m = new TinyAutoencoder(32, SyntheticData.INPUTS, 2)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Trainer().fit(m,
                    Optimizers.create("adam", m.params(), 0.01), SyntheticData.splits(64, 2), new TrainConfig(1, 32, 7, null, null)
                            .withMonitor(Monitor.ACCURACY), out));
            assertEquals("cannot monitor validation accuracy: TinyAutoencoder learns from no targets, so it has no accuracy; monitor its loss", e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> new Trainer().fit(m, Optimizers.create("adam", m.params(), 0.01),
                    SyntheticData.splits(64, 2), new TrainConfig(1, 32, 7, null, null).withMonitor(Monitor.parse("kl")), out));
            assertEquals("cannot monitor validation kl: TinyAutoencoder's validation reports loss, reconstruction, code", e.getMessage());
        }
    }
}
