package kiln.runtime.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import kiln.runtime.io.SafeTensors;
import kiln.runtime.optim.CosineAnnealing;
import kiln.runtime.optim.Optimizers;
import kiln.runtime.text.CharCorpus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A character language model through the same loop as every other run: truncated BPTT with the
 * state carried across chunks, validation in nats per character, schedules, early stopping, logs,
 * and exact resume at an epoch's end and within one.
 */
class TextTrainingTest {
    @TempDir
    Path dir;

    private static final CharCorpus CATS = CharCorpus.split("cats", "the cat sat on the mat; the rat sat on the cat. ".repeat(20), 0.1);
    private final ByteArrayOutputStream log = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(log, true, StandardCharsets.UTF_8);

    private String log() {
        return log.toString(StandardCharsets.UTF_8);
    }

    private static TinyCharModel model() {
        TinyCharModel m = new TinyCharModel(4, CATS.vocabulary().size(), 12, 8);
        m.initParams(5);
        return m;
    }

    /** 4 streams, cosine over 4 epochs with a warm-up, early stopping on the validation loss, clipping at 5. */
    private static TrainConfig recipe(Path save, Path resume) {
        return new TrainConfig(4, 4, 11, save, resume).withSchedule(new CosineAnnealing(4, 1, 0)).withEarlyStopping(new EarlyStopping(5, 0))
                .withClipping(5, 0);
    }

    @Test
    void learnsTheTextAndReportsNatsPerCharacter() throws Exception {
        Path csv = dir.resolve("cats.csv");
        TrainResult r;
        try (TinyCharModel m = model()) {
            r = new Trainer().fit(m, Optimizers.create("adam", m.params(), 0.02), CATS, recipe(null, null).withLog(csv, null), out);
            assertEquals(8, m.activeSteps(), "all steps active again after training");
            assertTrue(!m.carriesState(), "no state carried after training");
        }
        double uniform = Math.log(CATS.vocabulary().size());
        assertTrue(r.validationLoss() < 0.6 * uniform, "validation " + r.validationLoss() + " nats/char vs " + uniform + " for a uniform guess");
        assertTrue(r.validationAccuracy() > 0.3, "next-character accuracy " + r.validationAccuracy());
        String log = log();
        assertTrue(log.matches("(?s).*epoch 4/4  train loss \\d\\.\\d{4}  acc \\d+\\.\\d%  val loss \\d\\.\\d{4} nats/char \\(\\d\\.\\d{3} bits\\)"
                + "  acc \\d+\\.\\d%  [\\d.]+ s  [\\d,]+ characters/s  lr [\\d.e-]+  (best|no improvement \\d/5).*"), log);
        assertTrue(log.contains("characters/s  ETA "), "a progress line counts characters: " + log);
        assertEquals("epoch,step,lr,train_loss,train_accuracy,val_loss,val_accuracy,seconds", Files.readAllLines(csv).get(0));
    }

    @Test
    void resumingATextRunIsBitIdenticalAtAnEpochsEndAndWithinOne() throws Exception {
        Path whole = dir.resolve("whole.safetensors"), cut = dir.resolve("cut.safetensors");
        try (TinyCharModel m = model()) {
            new Trainer().fit(m, Optimizers.create("adam", m.params(), 0.02), CATS, recipe(whole, null), out);
        }
        assertEquals(CATS.vocabulary().symbols(), SafeTensors.readMetadata(whole).get(Trainer.VOCABULARY));
        int chunks = Integer.parseInt(SafeTensors.readMetadata(whole).get("step")) / 4;

        // Broken off by a NaN loss in epoch 3, 5 chunks after a checkpoint taken within that epoch.
        try (TinyCharModel m = model()) {
            m.nanOnCall = 2 * chunks + 8;
            TrainingDivergedException e = assertThrows(TrainingDivergedException.class,
                    () -> new Trainer().fit(m, Optimizers.create("adam", m.params(), 0.02), CATS, recipe(cut, null).withSaveEvery(3), out));
            assertTrue(e.getMessage().startsWith("loss became NaN at epoch 3, step " + (2 * chunks + 8) + " (batch 8 of " + chunks + ")"),
                    e.getMessage());
        }
        Map<String, SafeTensors.Tensor> saved = SafeTensors.read(cut).tensors();
        assertTrue(saved.containsKey("carried/0"), "the state carried between chunks: " + saved.keySet());
        log.reset();
        try (TinyCharModel m = model()) {
            new Trainer().fit(m, Optimizers.create("adam", m.params(), 0.02), CATS, recipe(cut, cut), out);
        }
        assertTrue(log().matches("(?s)resumed from " + cut + " after epoch 2 and \\d of " + chunks + " chunks of epoch 3, step \\d+.*"), log());
        Map<String, SafeTensors.Tensor> a = SafeTensors.read(whole).tensors(), b = SafeTensors.read(cut).tensors();
        assertEquals(a.keySet(), b.keySet());
        for (String name : a.keySet()) assertArrayEquals(a.get(name).data(), b.get(name).data(), name);
        assertTrue(a.keySet().stream().anyMatch(k -> k.startsWith("best/")), "early stopping's best weights: " + a.keySet());
        List<String> x = Files.readAllLines(dir.resolve("whole.metrics.csv")), y = Files.readAllLines(dir.resolve("cut.metrics.csv"));
        assertEquals(x.size(), y.size());
        for (int i = 1; i < x.size(); i++) assertEquals(x.get(i).replaceAll(",[^,]*$", ""), y.get(i).replaceAll(",[^,]*$", ""), "epoch " + i);
    }

    @Test
    void aTextOfAnotherVocabularyDoesNotResume() throws Exception {
        Path ckpt = dir.resolve("m.safetensors");
        try (TinyCharModel m = model()) {
            new Trainer().fit(m, Optimizers.create("adam", m.params(), 0.02), CATS, new TrainConfig(1, 4, 1, ckpt, null), out);
        }
        CharCorpus dogs = CharCorpus.split("dogs", "the dog sat on the log; the hog sat on the dog. ".repeat(20), 0.1);
        try (TinyCharModel m = new TinyCharModel(4, dogs.vocabulary().size(), 12, 8)) {
            java.io.IOException e = assertThrows(java.io.IOException.class, () -> new Trainer().fit(m,
                    Optimizers.create("adam", m.params(), 0.02), dogs, new TrainConfig(2, 4, 1, ckpt, ckpt), out));
            assertTrue(e.getMessage().startsWith(ckpt + ": was trained on a text with another vocabulary"), e.getMessage());
            assertEquals(0, m.param("embed.weight").value[0], "checked before the checkpoint changed anything");
        }
    }

    @Test
    void aTruncatedBpttStepAllocatesNothing() throws Exception {
        // One stream of 8-character chunks: an epoch of a 120,000-character text is about 13,500 steps; one
        // object per step (16+ bytes) would add over 400 KB in two epochs, while an epoch's log lines and
        // validation take about 75 KB. With clipping in the step, C2 reaches steady state only after some
        // 150,000 steps here (before, it boxes a vector now and then), hence the long warm-up and up to 4 tries.
        CharCorpus text = CharCorpus.split("long", "the cat sat on the mat; the rat sat on the cat. ".repeat(2500), 0.1);
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        for (int i = 0; i < 4; i++) train(text, 3); // warm-up
        long twoMoreEpochs = Long.MAX_VALUE;
        for (int attempt = 0; attempt < 4 && twoMoreEpochs >= 200_000; attempt++) {
            long before = mx.getCurrentThreadAllocatedBytes();
            train(text, 1);
            long oneEpoch = mx.getCurrentThreadAllocatedBytes() - before;
            before = mx.getCurrentThreadAllocatedBytes();
            train(text, 3);
            twoMoreEpochs = mx.getCurrentThreadAllocatedBytes() - before - oneEpoch;
        }
        assertTrue(twoMoreEpochs < 200_000, "two more epochs (27,000 steps) allocated " + twoMoreEpochs + " bytes");
    }

    private void train(CharCorpus text, int epochs) throws Exception {
        log.reset();
        try (TinyCharModel m = new TinyCharModel(1, text.vocabulary().size(), 12, 8)) {
            m.initParams(1);
            new Trainer().fit(m, Optimizers.create("adam", m.params(), 0.01), text, new TrainConfig(epochs, 1, 3, null, null).withClipping(5, 0), out);
        }
    }
}
