package kiln.runtime.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class LanguageModelOptionsTest {
    private static final TrainDefaults DEFAULTS = new TrainDefaults(30, 32, 2e-3, "adam", 0, 42);

    private static LanguageModelOptions parse(String... args) throws UsageException {
        return LanguageModelOptions.parse(args, DEFAULTS, 2);
    }

    @Test
    void samplingAndTrainingOptions() throws Exception {
        LanguageModelOptions o = parse("--epochs", "3", "--sample", "m.safetensors", "--prompt", "ROMEO:", "--temperature=0.5",
                "--length", "80", "--clip-norm", "1", "--threads=1", "--lr", "0.01");
        assertEquals(3, o.epochs());
        assertEquals(Path.of("m.safetensors"), o.sample());
        assertEquals("ROMEO:", o.prompt());
        assertEquals(0.5, o.temperature());
        assertEquals(80, o.length());
        assertEquals(1, o.clipNorm());
        assertEquals(1, o.threads());
        assertTrue(o.lrGiven());
    }

    @Test
    void defaultsAndAPromptThatLooksLikeAnOption() throws Exception {
        LanguageModelOptions o = parse("--prompt", "--x\\n");
        assertEquals("--x\n", o.prompt());
        assertEquals(5, o.clipNorm());
        assertEquals(0.8, o.temperature());
        assertEquals(500, o.length());
        assertEquals(32, o.batch());
        assertEquals("adam", o.optimizer());
        assertNull(o.sample());
        assertFalse(o.lrGiven());
        assertEquals("", parse().prompt());
    }

    @Test
    void badValuesAreOneLine() {
        assertEquals("--temperature must be >= 0, got -1",
                assertThrows(UsageException.class, () -> parse("--temperature", "-1")).getMessage());
        assertEquals("--length expects a whole number, got 'x'",
                assertThrows(UsageException.class, () -> parse("--length", "x")).getMessage());
        assertEquals("--sample needs a value (FILE)", assertThrows(UsageException.class, () -> parse("--sample")).getMessage());
        assertEquals("--length is given twice",
                assertThrows(UsageException.class, () -> parse("--length", "1", "--length", "2")).getMessage());
        assertEquals("unknown option --tempreature (did you mean --temperature?)",
                assertThrows(UsageException.class, () -> parse("--tempreature", "1")).getMessage());
        assertEquals("unknown option --schedule", assertThrows(UsageException.class, () -> parse("--schedule", "x")).getMessage());
    }

    @Test
    void helpListsEveryOptionWithItsDefault() throws Exception {
        assertTrue(parse("-h").help());
        String usage = LanguageModelOptions.usage("CharLstm", "the bundled sample", DEFAULTS, 2);
        assertTrue(usage.contains("--clip-norm X"), usage);
        assertTrue(usage.contains("(default: 5.0)"), usage);
        assertTrue(usage.contains("--sample FILE"), usage);
    }
}
