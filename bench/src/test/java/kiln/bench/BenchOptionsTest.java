package kiln.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The benchmarks' command line: defaults, values, and a one-line message naming what is wrong. */
class BenchOptionsTest {
    @Test
    void readsEveryOptionOverTheDefaults() {
        BenchRun.Options o = parse();
        assertEquals("mlp", o.model);
        assertEquals("train", o.mode);
        assertEquals(1, o.threads);
        assertEquals(64, o.batch);

        o = parse("--model", "lenet", "--mode", "scaling", "--threads", "2", "--batch", "8", "--seconds", "1.5",
                "--windows", "3", "--warmup", "0");
        assertEquals("lenet", o.model);
        assertEquals("scaling", o.mode);
        assertEquals(2, o.threads);
        assertEquals(8, o.batch);
        assertEquals(1.5, o.seconds);
        assertEquals(3, o.windows);
        assertEquals(0.0, o.warmup);
        assertTrue(parse("--profile").profile);
    }

    @Test
    void namesTheOptionThatIsWrong() {
        assertEquals("bad value two for --threads", message("--threads", "two"));
        assertEquals("missing value for --batch", message("--model", "mlp", "--batch"));
        assertEquals("unknown option --fast; use USAGE", message("--fast"));
        assertTrue(message("--threads", "0").startsWith("--threads, --batch"));
        assertTrue(message("--seconds", "-1").startsWith("--threads, --batch"));
        assertEquals("--profile times training; drop --mode infer", message("--mode", "infer", "--profile"));
    }

    private static BenchRun.Options parse(String... args) {
        return BenchRun.Options.parse(args, "mlp", 64, "USAGE");
    }

    private static String message(String... args) {
        return assertThrows(IllegalArgumentException.class, () -> parse(args)).getMessage();
    }
}
