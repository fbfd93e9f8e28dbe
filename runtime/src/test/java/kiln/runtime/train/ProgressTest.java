package kiln.runtime.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ProgressTest {
    @Test
    void plainOutputPrintsAboutEveryTenthThenASummary() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Progress p = new Progress(new PrintStream(bytes, true, StandardCharsets.UTF_8), false);
        p.startEpoch(2, 5, 55_000, 0, "samples");
        RunningFigures running = new RunningFigures();
        running.add(running.index("loss"), 0.1234, 1);
        running.add(running.index("accuracy"), 961, 1000);
        for (int done = 500; done <= 55_000; done += 500) p.update(done, running);
        p.endEpoch(running, Progress.figures(0.1, 0.97), Progress.figures(0.2, 0.95), 12.34, 4457, "");
        String[] lines = bytes.toString(StandardCharsets.UTF_8).split("\n");
        assertEquals(10, lines.length, String.join("\n", lines)); // 10%..90%, then the summary
        assertTrue(lines[2].matches("epoch 2/5  \\[###\\.\\.\\.\\.\\.\\.\\.\\]  16,500/55,000  loss 0\\.1234  acc 96\\.1%  [\\d,]+ samples/s  ETA [\\d:]+"),
                lines[2]);
        assertEquals("epoch 2/5  train loss 0.1000  acc 97.0%  val loss 0.2000  acc 95.0%  12.3 s  4,457 samples/s", lines[9]);
    }

    @Test
    void figuresLeaveOutWhatIsUndefined() {
        assertEquals("loss 0.5000", Progress.figures(0.5, Double.NaN));
        assertEquals("loss -", Progress.figures(Double.NaN, Double.NaN));
    }

    @Test
    void everyFigureInOrderTheLossFirst() {
        java.util.Map<String, Double> f = new java.util.LinkedHashMap<>();
        f.put("reconstruction", 0.25);
        f.put("loss", 0.5);
        f.put("kl", Double.NaN);
        f.put("discriminator/accuracy", 0.5);
        assertEquals("loss 0.5000  reconstruction 0.2500  discriminator/acc 50.0%", Progress.figures(f, false));
        assertEquals("loss 1.3863 nats/char (2.000 bits)", Progress.figures(java.util.Map.of("loss", Math.log(4)), true));
        assertEquals("-", Progress.figures(java.util.Map.of(), false));
    }

    @Test
    void aTextCountsCharacters() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Progress p = new Progress(new PrintStream(bytes, true, StandardCharsets.UTF_8), false);
        p.startEpoch(1, 2, 1000, 400, "characters");
        RunningFigures running = new RunningFigures();
        running.add(running.index("loss"), 2.5, 1);
        p.update(500, running);
        assertTrue(bytes.toString(StandardCharsets.UTF_8).matches("epoch 1/2  \\[#####\\.\\.\\.\\.\\.\\]  500/1,000  loss 2\\.5000  [\\d,]+ characters/s  ETA [\\d:-]+\\n"),
                bytes.toString(StandardCharsets.UTF_8));
    }

    @Test
    void clock() {
        assertEquals("0:03", Progress.clock(3.2));
        assertEquals("2:05", Progress.clock(125));
        assertEquals("1:01:01", Progress.clock(3661));
    }
}
