package kiln.runtime.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class OptionsTest {
    private static final TrainDefaults DEFAULTS = new TrainDefaults(5, 64, 0.01, "adam", 0.0, 42);

    private static Options parse(String... args) throws UsageException {
        return Options.parse(args, DEFAULTS, 8);
    }

    private static String error(String... args) {
        return assertThrows(UsageException.class, () -> parse(args)).getMessage();
    }

    @Test
    void defaults() throws Exception {
        Options o = parse();
        assertNull(o.data());
        assertEquals(5, o.epochs());
        assertEquals(64, o.batch());
        assertEquals(0.01, o.lr());
        assertFalse(o.lrGiven());
        assertEquals("adam", o.optimizer());
        assertEquals(0.0, o.weightDecay());
        assertEquals(42, o.seed());
        assertEquals(8, o.threads());
        assertNull(o.save());
        assertNull(o.resume());
        assertFalse(o.help());
    }

    @Test
    void everyOptionInBothForms() throws Exception {
        Options spaced = parse("--data", "d", "--epochs", "3", "--batch", "128", "--lr", "1e-3", "--optimizer", "nesterov",
                "--weight-decay", "0.0005", "--seed", "-7", "--threads", "2", "--save", "s.st", "--resume", "r.st");
        Options joined = parse("--data=d", "--epochs=3", "--batch=128", "--lr=1e-3", "--optimizer=nesterov",
                "--weight-decay=0.0005", "--seed=-7", "--threads=2", "--save=s.st", "--resume=r.st");
        assertEquals(spaced, joined);
        assertEquals(new Options(Path.of("d"), 3, 128, 0.001, true, "nesterov", 0.0005, -7, 2, Path.of("s.st"), Path.of("r.st"), false),
                spaced);
        assertTrue(parse("--help").help());
        assertTrue(parse("-h").help());
        assertEquals("sgd", parse("--optimizer", "SGD").optimizer());
    }

    @Test
    void errorsNameTheOptionAndTheProblem() {
        assertEquals("unknown option --epoch (did you mean --epochs?)", error("--epoch", "3"));
        assertEquals("unknown option --frobnicate", error("--frobnicate"));
        assertEquals("unexpected argument 'mnist'", error("mnist"));
        assertEquals("--epochs needs a value (N)", error("--epochs"));
        assertEquals("--epochs needs a value (N)", error("--epochs", "--batch", "3"));
        assertEquals("--epochs needs a value (N)", error("--epochs="));
        assertEquals("--epochs expects a whole number, got 'three'", error("--epochs", "three"));
        assertEquals("--epochs must be >= 1, got 0", error("--epochs", "0"));
        assertEquals("--batch must be >= 1, got -4", error("--batch=-4"));
        assertEquals("--threads must be >= 1, got 0", error("--threads", "0"));
        assertEquals("--lr must be > 0, got 0", error("--lr", "0"));
        assertEquals("--lr expects a number, got 'fast'", error("--lr", "fast"));
        assertEquals("--lr expects a finite number, got 'NaN'", error("--lr", "NaN"));
        assertEquals("--weight-decay must be >= 0, got -1", error("--weight-decay", "-1"));
        assertEquals("--seed expects a whole number, got '1.5'", error("--seed", "1.5"));
        assertEquals("--optimizer must be one of sgd, momentum, nesterov, adam, adamw, rmsprop, adagrad, got 'lbfgs'",
                error("--optimizer", "lbfgs"));
        assertEquals("--help takes no value", error("--help=yes"));
        assertEquals("--epochs is given twice", error("--epochs", "2", "--epochs=3"));
    }

    @Test
    void usageListsEveryOptionWithItsDefault() {
        String usage = Options.usage("Mlp", "the bundled MNIST subset", DEFAULTS, 8);
        for (String flag : new String[] {"--data DIR", "--epochs N", "--batch N", "--lr X", "--optimizer NAME", "--weight-decay X",
                "--seed N", "--threads N", "--save FILE", "--resume FILE", "--help"}) {
            assertTrue(usage.contains("  " + flag + " "), flag + " in\n" + usage);
        }
        for (String def : new String[] {"(default: the bundled MNIST subset)", "(default: 5)", "(default: 64)", "(default: 0.01;",
                "(default: adam)", "(default: 0.0)", "(default: 42;", "(default: 8, the available processors)", "(default: none)"}) {
            assertTrue(usage.contains(def), def + " in\n" + usage);
        }
    }

    private static final TrainDefaults TEXT = new TrainDefaults(30, 32, 2e-3, "adam", 0, 42, null, 5);

    private static Options text(String... args) throws UsageException {
        return Options.parse(args, TEXT, 2, RunKind.TEXT);
    }

    @Test
    void aLanguageModelsOptionsWriteTextAndTakeItsDefaults() throws Exception {
        Options o = text("--sample", "m.safetensors", "--prompt", "ROMEO:", "--temperature=0.5", "--length", "80", "--threads=1", "--seed", "3");
        assertEquals(Path.of("m.safetensors"), o.sample());
        assertEquals(new Generation("ROMEO:", 0.5, 80), o.generation());
        assertEquals(3, o.seed());
        Options t = text("--epochs", "3", "--lr", "0.01", "--length", "0");
        assertEquals(3, t.epochs());
        assertEquals(5, t.clipNorm(), "the model's declared clip norm");
        assertTrue(t.lrGiven());
        Options d = text("--prompt", "--x\\n", "--clip-norm", "0");
        assertEquals("--x\n", d.generation().prompt(), "a prompt may look like an option; \\n is a new line");
        assertEquals(0, d.clipNorm(), "--clip-norm 0 turns the declared clipping off");
        assertEquals(Generation.DEFAULT, text().generation());
        assertEquals(32, text().batch());
        // Every training option applies to a language model too.
        Options all = text("--schedule", "cosine", "--early-stop", "3", "--plot", "c.png", "--log", "m.jsonl", "--monitor", "loss",
                "--save", "s.st", "--save-every", "100", "--search", "grid", "--lr", "0.01,0.1");
        assertEquals("cosine", all.schedule());
        assertEquals(100, all.saveEvery());
    }

    @Test
    void anOptionThatDoesNotApplyToTheKindOfRunIsAnError() {
        assertEquals("--temperature applies to character language models only", error("--temperature", "1"));
        assertEquals("--sample expects a whole number, got 'm.st'", error("--sample", "m.st"), "a data-set model's --sample counts images");
        assertEquals("--sample applies to a generated model: text from a language model, images from one that generates",
                assertThrows(UsageException.class, () -> Options.parse(new String[] {"--sample", "4"}, DEFAULTS, 2, RunKind.CUSTOM)).getMessage());
        assertEquals("--input applies to models trained on a data set; a language model's --predict continues --prompt",
                assertThrows(UsageException.class, () -> text("--input", "rows.csv")).getMessage());
        assertEquals("--predict applies to a generated model; score a run with its own training step with --eval",
                assertThrows(UsageException.class, () -> Options.parse(new String[] {"--predict", "m.st"}, DEFAULTS, 2, RunKind.CUSTOM)).getMessage());
        assertEquals("--temperature must be >= 0, got -1", assertThrows(UsageException.class, () -> text("--temperature", "-1")).getMessage());
        assertEquals("--length expects a whole number, got 'x'", assertThrows(UsageException.class, () -> text("--length", "x")).getMessage());
        assertEquals("--sample needs a value (CHECKPOINT)", assertThrows(UsageException.class, () -> text("--sample")).getMessage());
        assertEquals("--length is given twice", assertThrows(UsageException.class, () -> text("--length", "1", "--length", "2")).getMessage());
        assertEquals("unknown option --tempreature (did you mean --temperature?)",
                assertThrows(UsageException.class, () -> text("--tempreature", "1")).getMessage());
        assertEquals("--eval, --predict, --sample and --search exclude each other",
                assertThrows(UsageException.class, () -> text("--eval", "a", "--sample", "b")).getMessage());
        assertEquals("--resume does not go with --sample", assertThrows(UsageException.class, () -> text("--sample", "a", "--resume", "b")).getMessage());
        // What a mode that trains nothing would not read is refused, not ignored.
        assertEquals("--epochs does not go with --sample", assertThrows(UsageException.class, () -> text("--sample", "a", "--epochs", "2")).getMessage());
        assertEquals("--data does not go with --sample", assertThrows(UsageException.class, () -> text("--data", "d", "--sample", "a")).getMessage());
        assertEquals("--length does not go with --eval", assertThrows(UsageException.class, () -> text("--eval", "a", "--length", "9")).getMessage());
        assertEquals("--save does not go with --eval", error("--eval", "a", "--save", "b"));
        assertEquals("--seed does not go with --predict", error("--predict", "a", "--seed", "3"));
        assertEquals("--size does not go with --eval: the checkpoint records the sizes", error("--eval", "a", "--size", "hidden=3"));
    }

    @Test
    void aLanguageModelsHelpSaysWhatItsOptionsMeanForAText() {
        String usage = Options.usage("CharLstm", "the bundled sample", TEXT, 2, RunKind.TEXT);
        for (String s : new String[] {"--data PATH ", "--batch N                parallel streams of the text", "--sample CHECKPOINT",
                "--prompt TEXT", "--temperature X", "--length N", "--clip-norm X", "(default: 5.0)", "--schedule SPEC", "--early-stop N",
                "print CHECKPOINT's loss in nats per character on the held-out text", "SCHEDULES"}) {
            assertTrue(usage.contains(s), s + " in\n" + usage);
        }
        assertFalse(usage.contains("--input"), usage);
        assertTrue(Options.usage("Mlp", "mnist", DEFAULTS, 2).contains("--sample N"), "a data-set model's --sample counts images");
    }
}
