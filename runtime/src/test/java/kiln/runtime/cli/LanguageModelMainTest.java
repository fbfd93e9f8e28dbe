package kiln.runtime.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import kiln.runtime.io.SafeTensors;
import kiln.runtime.text.TextSource;
import kiln.runtime.train.TinyCharModel;
import kiln.runtime.train.Trainer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A character language model's main, through {@link TrainingMain#run(String, ModelFactory, TextSource,
 * TrainDefaults, String[])} with a hand-written model shaped like a generated one: every option of
 * the training workflow applies to it, and it writes text.
 */
class LanguageModelMainTest {
    @TempDir
    Path dir;

    private static final String CATS = "the cat sat on the mat; the rat sat on the cat. ".repeat(20);
    private static final TextSource TEXT = new TextSource() {
        @Override
        public String read(Path data) {
            return CATS;
        }

        @Override
        public String describe() {
            return "cats";
        }
    };
    private static final TrainDefaults DEFAULTS = new TrainDefaults(3, 4, 0.02, "adam", 0, 1, null, 5);

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    /** The vocabulary the model predicts; a test shrinks it to make the text not fit. */
    private int vocabulary = 13;

    private int run(String... args) {
        out.reset();
        err.reset();
        return TrainingMain.run("TinyCharModel", (streams, threads) -> new TinyCharModel(streams, vocabulary, 12, 8), TEXT, DEFAULTS, args,
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void trainsWithAScheduleEarlyStoppingAndCurvesThenWritesText() throws Exception {
        Path ckpt = dir.resolve("cats.safetensors"), png = dir.resolve("curves.png");
        assertEquals(0, run("--schedule", "cosine", "--early-stop", "3", "--plot", png.toString(), "--save", ckpt.toString(), "--threads", "1",
                "--length", "40", "--prompt", "the "), err());
        String log = out();
        assertTrue(log.startsWith("TinyCharModel: 481 parameters | cats (bundled sample): 864 characters for training, 96 for validation,"
                + " 13 distinct | adam(lr=0.02"), log);
        assertTrue(log.contains("cosine(period=3.0, warmup=0.0, min=0.0), early stopping(patience=3, min_delta=0.0) on validation loss,"
                + " clip norm 5.0 | 4 streams of 8-character chunks, 1 thread"), log);
        assertTrue(log.matches("(?s).*epoch 3/3  train loss \\d\\.\\d{4}  acc [\\d.]+%  val loss \\d\\.\\d{4} nats/char \\(\\d\\.\\d{3} bits\\).*"), log);
        assertTrue(log.contains("restored the best weights: epoch "), log);
        assertTrue(log.contains("curves: " + png) && Files.size(png) > 0, log);
        assertTrue(log.contains("--- 40 characters at temperature 0.8, seed 1 ---\nthe "), log);
        assertFalse(log.contains("test  "), "a text has no test split: " + log);
        Map<String, String> meta = SafeTensors.readMetadata(ckpt);
        assertEquals(" .;acehmnorst", meta.get(Trainer.VOCABULARY));
        assertEquals(4, Files.readAllLines(dir.resolve("cats.metrics.csv")).size());

        assertEquals(0, run("--eval", ckpt.toString()), err());
        assertTrue(out().startsWith("TinyCharModel: " + ckpt + " (best weights, epoch "), out());
        // 96 held-out characters are 95 inputs with a next one: 4 streams of 23.
        assertTrue(out().matches("(?s).*\nvalidation  loss \\d\\.\\d{4} nats/char \\(\\d\\.\\d{3} bits\\)  acc [\\d.]+%  \\(92 characters\\)\n"), out());

        assertEquals(0, run("--sample", ckpt.toString(), "--prompt", "the c", "--length", "30", "--temperature", "0"), err());
        List<String> lines = out().lines().toList();
        assertEquals("--- 30 characters at temperature 0.0, seed 1 ---", lines.get(0));
        assertEquals(35, lines.get(1).length() + (lines.size() > 2 ? 1 : 0), out()); // the prompt, then 30 characters
        assertTrue(lines.get(1).startsWith("the c"), out());
        String greedy = out();
        assertEquals(0, run("--sample", ckpt.toString(), "--prompt", "the c", "--length", "30", "--temperature", "0"), err());
        assertEquals(greedy, out(), "temperature 0 always takes the likeliest character");

        Path written = dir.resolve("text.txt");
        assertEquals(0, run("--predict", ckpt.toString(), "--prompt", "the c", "--length", "30", "--temperature", "0", "--output",
                written.toString()), err());
        assertEquals(lines.get(1) + (lines.size() > 2 ? "\n" + lines.get(2) : ""), Files.readString(written));
        assertTrue(out().contains("wrote 30 characters at temperature 0.0, seed 1, to " + written), out());
    }

    @Test
    void resumingThroughTheMainIsBitIdentical() throws Exception {
        Path whole = dir.resolve("whole.safetensors"), part = dir.resolve("part.safetensors");
        String[] recipe = {"--schedule", "step:1:0.5", "--threads", "1", "--length", "0"};
        assertEquals(0, run(concat(recipe, "--epochs", "3", "--save", whole.toString())), err());
        assertEquals(0, run(concat(recipe, "--epochs", "2", "--save", part.toString())), err());
        assertEquals(0, run(concat(recipe, "--epochs", "3", "--save", part.toString(), "--resume", part.toString())), err());
        assertTrue(out().contains("resumed from " + part + " after epoch 2"), out());
        assertFalse(out().contains("---"), "--length 0 writes no text");
        Map<String, SafeTensors.Tensor> a = SafeTensors.read(whole).tensors(), b = SafeTensors.read(part).tensors();
        for (String name : a.keySet()) assertArrayEquals(a.get(name).data(), b.get(name).data(), name);
    }

    @Test
    void problemsAreOneLine() throws Exception {
        assertEquals(2, run("--input", "rows.csv"));
        assertEquals("error: --input applies to models trained on a data set; a language model's --predict continues --prompt; try --help\n", err());

        vocabulary = 10;
        assertEquals(2, run("--epochs", "1"));
        assertEquals("error: cats (bundled sample): the text has 13 distinct characters, but TinyCharModel predicts 10: raise its vocabulary"
                + " (embedding and logits) to at least 13\n", err());
        vocabulary = 13;

        Path foreign = dir.resolve("foreign.safetensors");
        try (var m = new kiln.runtime.train.SoftmaxRegression(4, 2, 2)) {
            kiln.runtime.train.Checkpoint.save(foreign, m, kiln.runtime.optim.Optimizers.create("sgd", m.params(), 0.1),
                    new kiln.runtime.train.TrainingState(1, 1, 1));
        }
        assertEquals(2, run("--sample", foreign.toString()));
        assertEquals("error: " + foreign + ": holds no vocabulary; it was not saved by a language model's training\n", err());
        assertEquals(2, run("--resume", foreign.toString()));
        assertEquals("error: " + foreign + ": holds no vocabulary; it was not saved by a language model's training\n", err());

        assertEquals(0, run("--search", "grid", "--lr", "0.005,0.05", "--epochs", "1", "--threads", "1", "--length", "0"), err());
        assertTrue(out().startsWith("grid search over lr: 2 trials of 1 epochs on 864 training characters, scored by validation loss"), out());
    }

    private static String[] concat(String[] a, String... b) {
        String[] all = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }
}
