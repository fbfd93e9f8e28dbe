package kiln.samples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import kiln.runtime.cli.TrainDefaults;
import kiln.runtime.cli.TrainingMain;
import kiln.runtime.io.SafeTensors;
import kiln.samples.tabular.WineClassifier;
import kiln.samples.tabular.WineClassifierModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The tabular sample through the generated main's code path ({@code TrainingMain.run} with the
 * generated {@code WineClassifierModel}): it learns the UCI wine table, resumes bit-identically,
 * and its checkpoint evaluates and classifies new rows given as raw measurements.
 */
class TabularWorkflowTest {
    @TempDir
    Path dir;

    private static final TrainDefaults DEFAULTS = new TrainDefaults(30, 16, 0.003, "adam", 0, 42);
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        out.reset();
        err.reset();
        return TrainingMain.run("WineClassifier", WineClassifierModel::new, new WineClassifier(), DEFAULTS, args,
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void learnsTheWineTableAndClassifiesNewRows() throws Exception {
        Path ckpt = dir.resolve("wine.safetensors");
        assertEquals(0, run("--threads", "1", "--save", ckpt.toString()), err.toString());
        String log = out();
        assertTrue(log.startsWith("WineClassifier: 275 parameters | UCI wine (13 features, 3 classes): 124 train, 27 validation, 27 test"), log);
        String test = log.lines().filter(l -> l.startsWith("test  ")).findFirst().orElseThrow();
        double accuracy = Double.parseDouble(test.replaceAll(".*acc ([0-9.]+)%.*", "$1"));
        assertTrue(accuracy >= 90, test);
        assertTrue(Files.exists(dir.resolve("wine.metrics.csv")) && Files.exists(dir.resolve("wine.curves.png")));

        assertEquals(0, run("--eval", ckpt.toString()), err.toString());
        assertTrue(out().contains(test), out());

        // Raw measurements, columns named (in another order) and no class: rows 1, 61 and 139 of the file.
        Path rows = Files.writeString(dir.resolve("wines.csv"), String.join("\n",
                "proline,alcohol,malic_acid,ash,alcalinity_of_ash,magnesium,total_phenols,flavanoids,nonflavanoid_phenols,"
                        + "proanthocyanins,color_intensity,hue,od280/od315_of_diluted_wines",
                "1065,14.23,1.71,2.43,15.6,127,2.8,3.06,0.28,2.29,5.64,1.04,3.92",
                "680,12.33,1.1,2.28,16,101,2.05,1.09,0.63,0.41,3.27,1.25,1.67",
                "580,13.49,3.59,2.19,19.5,88,1.62,0.48,0.58,0.88,5.7,0.81,1.82", ""));
        Path predictions = dir.resolve("p.csv");
        assertEquals(0, run("--predict", ckpt.toString(), "--input", rows.toString(), "--output", predictions.toString()), err.toString());
        List<String> lines = Files.readAllLines(predictions);
        assertEquals(3, lines.size());
        for (int i = 0; i < 3; i++) assertTrue(lines.get(i).startsWith(i + ",0."), lines.toString());
    }

    @Test
    void resumingAGeneratedModelIsBitIdentical() throws Exception {
        String[] recipe = {"--threads", "1", "--optimizer", "adamw", "--weight-decay", "0.01", "--no-bias-decay", "--lr", "0.01",
            "--schedule", "step:2:0.5", "--early-stop", "20", "--clip-norm", "2"};
        Path whole = dir.resolve("whole.safetensors"), parts = dir.resolve("parts.safetensors");
        assertEquals(0, run(concat(recipe, "--epochs", "6", "--save", whole.toString())), err.toString());
        assertEquals(0, run(concat(recipe, "--epochs", "3", "--save", parts.toString())), err.toString());
        assertEquals(0, run(concat(recipe, "--epochs", "6", "--save", parts.toString(), "--resume", parts.toString())), err.toString());
        assertTrue(out().contains("resumed from " + parts + " after epoch 3"), out());
        Map<String, SafeTensors.Tensor> a = SafeTensors.read(whole).tensors(), b = SafeTensors.read(parts).tensors();
        assertEquals(a.keySet(), b.keySet());
        for (String name : a.keySet()) assertArrayEquals(a.get(name).data(), b.get(name).data(), name);
    }

    private static String[] concat(String[] a, String... b) {
        String[] all = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }
}
