package kiln.samples.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import kiln.runtime.cli.TrainingMain;
import kiln.runtime.cli.TrainDefaults;
import kiln.runtime.text.ShakespeareSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A generated language model's main, end to end on a small repetitive text: it trains by truncated
 * backpropagation through time until the validation loss is low, keeps the best checkpoint with
 * its vocabulary, and writes the text back from that checkpoint; bad prompts and checkpoints are
 * one-line errors.
 */
class LanguageModelEndToEndTest {
    private static final String LINE = "to be or not to be, that is the question\n";
    private static final TrainDefaults DEFAULTS = new TrainDefaults(6, 8, 1e-2, "adam", 0, 42, null, 5);

    @TempDir
    Path dir;

    private record Run(int code, String out, String err) {}

    private Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        int code = TrainingMain.run("TinyCharGru", TinyCharGruModel::new, new ShakespeareSource(), DEFAULTS, args,
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void trainsSavesTheVocabularyAndWritesTheTextBack() throws Exception {
        Path text = dir.resolve("fox.txt");
        Files.writeString(text, LINE.repeat(120));
        Path checkpoint = dir.resolve("fox.safetensors");
        Run train = run("--data", text.toString(), "--save", checkpoint.toString(), "--threads", "1", "--length", "0");
        assertEquals(0, train.code(), train.err());
        assertTrue(train.out().contains("epoch 6/6"), train.out());
        String last = train.out().lines().filter(l -> l.startsWith("epoch 6/6") && l.contains("val loss")).findFirst().orElseThrow();
        double loss = Double.parseDouble(last.substring(last.indexOf("val loss ") + 9).split(" ")[0]);
        assertTrue(loss < 0.3, "the line repeats, so the next character is nearly certain: " + last);

        Run sample = run("--sample", checkpoint.toString(), "--prompt", "that is", "--temperature", "0", "--length",
                String.valueOf(LINE.length()));
        assertEquals(0, sample.code(), sample.err());
        assertTrue(sample.out().contains("that is the question\nto be or not to be, that is"), sample.out());
    }

    @Test
    void aPromptOutsideTheVocabularyIsAnError() throws Exception {
        Path text = dir.resolve("fox.txt");
        Files.writeString(text, LINE.repeat(20));
        Path checkpoint = dir.resolve("fox.safetensors");
        assertEquals(0, run("--data", text.toString(), "--save", checkpoint.toString(), "--epochs", "1", "--threads", "1",
                "--length", "0").code());
        Run sample = run("--sample", checkpoint.toString(), "--prompt", "THE");
        assertEquals(2, sample.code());
        assertEquals("error: --prompt: character 'T' at position 0 is not in the model's vocabulary of 15 characters\n",
                sample.err());
    }

    @Test
    void aTextWithMoreCharactersThanTheModelPredictsIsAnError() throws Exception {
        Path text = dir.resolve("abc.txt");
        Files.writeString(text, "abcdefghijklmnopqrstuvwxyz".repeat(10));
        Run train = run("--data", text.toString());
        assertEquals(2, train.code());
        assertEquals("error: " + text + ": the text has 26 distinct characters, but TinyCharGru predicts 20: raise its"
                + " vocabulary (embedding and logits) to at least 26\n", train.err());
    }

    @Test
    void aMissingCheckpointIsAnError() {
        Run sample = run("--sample", dir.resolve("none.safetensors").toString());
        assertEquals(2, sample.code());
        assertEquals("error: --sample: no such file " + dir.resolve("none.safetensors") + "; try --help\n", sample.err());
    }
}
