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
        p.startEpoch(2, 5, 55_000);
        for (int done = 500; done <= 55_000; done += 500) p.update(done, 0.1234, 0.961);
        p.endEpoch(0.1, 0.97, new Evaluation(0.2, 0.95, 5000), 12.34, 4457);
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
    void clock() {
        assertEquals("0:03", Progress.clock(3.2));
        assertEquals("2:05", Progress.clock(125));
        assertEquals("1:01:01", Progress.clock(3661));
    }
}
