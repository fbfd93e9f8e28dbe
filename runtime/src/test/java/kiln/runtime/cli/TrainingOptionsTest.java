package kiln.runtime.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import kiln.runtime.optim.CosineAnnealing;
import kiln.runtime.optim.ExponentialDecay;
import kiln.runtime.optim.ReduceOnPlateau;
import kiln.runtime.optim.StepDecay;
import kiln.runtime.train.EarlyStopping;
import kiln.runtime.train.Monitor;
import kiln.runtime.tune.Dimension;
import kiln.runtime.tune.HyperparameterSearch;
import org.junit.jupiter.api.Test;

/** The options of the training workflow: schedules, early stopping, clipping, evaluation, prediction, search. */
class TrainingOptionsTest {
    private static final TrainDefaults DEFAULTS = new TrainDefaults(20, 64, 0.01, "sgd", 0.0, 42);

    private static Options parse(String... args) throws UsageException {
        return Options.parse(args, DEFAULTS, 4);
    }

    private static String error(String... args) {
        return assertThrows(UsageException.class, () -> parse(args)).getMessage();
    }

    @Test
    void theModelsDefaultScheduleAppliesUnlessTheCommandLineOverridesIt() throws Exception {
        TrainDefaults cosine = new TrainDefaults(20, 64, 0.01, "sgd", 0.0, 42, "cosine");
        assertEquals("cosine", Options.parse(new String[0], cosine, 4).schedule());
        assertEquals("step:5", Options.parse(new String[] {"--schedule", "step:5"}, cosine, 4).schedule());
        assertNull(parse().schedule());
        assertTrue(Options.usage("M", "mnist", cosine, 2).contains("(default: cosine)"));
    }

    @Test
    void schedulesParseInBothForms() throws Exception {
        assertEquals(new StepDecay(10, 0.1), SpecSyntax.schedule("step:10", 20, Monitor.LOSS));
        assertEquals(new StepDecay(10, 0.5), SpecSyntax.schedule("step:10:0.5", 20, Monitor.LOSS));
        assertEquals(new StepDecay(3, 0.5), SpecSyntax.schedule("step:every=3,gamma=0.5", 20, Monitor.LOSS));
        assertEquals(new ExponentialDecay(0.95), SpecSyntax.schedule("exp:0.95", 20, Monitor.LOSS));
        assertEquals(new ExponentialDecay(0.95), SpecSyntax.schedule("exponential:gamma=0.95", 20, Monitor.LOSS));
        assertEquals(new CosineAnnealing(20, 2, 0), SpecSyntax.schedule("cosine:warmup=2", 20, Monitor.LOSS));
        assertEquals(new CosineAnnealing(50, 0, 1e-4), SpecSyntax.schedule("cosine:period=50,min=1e-4", 20, Monitor.LOSS));
        assertNull(SpecSyntax.schedule("none", 20, Monitor.LOSS));
        ReduceOnPlateau p = (ReduceOnPlateau) SpecSyntax.schedule("plateau:factor=0.1,patience=3", 20, Monitor.ACCURACY);
        assertEquals("plateau(mode=max, factor=0.1, patience=3, threshold=1.0E-4, cooldown=0, min=0.0)", p.describe());
        assertEquals("plateau(mode=min, factor=0.5, patience=10, threshold=0.01, cooldown=2, min=1.0E-5)",
                SpecSyntax.schedule("plateau:factor=0.5,cooldown=2,min=1e-5,threshold=0.01", 20, Monitor.ACCURACY).describe().replace("max", "min"));
        assertInstanceOf(ReduceOnPlateau.class, SpecSyntax.schedule("plateau", 20, Monitor.LOSS));
    }

    @Test
    void workflowOptionsParse() throws Exception {
        Options o = parse("--schedule", "cosine:warmup=2", "--early-stop", "5:min-delta=0.001", "--monitor", "accuracy",
                "--clip-norm", "1.0", "--clip-value=0.5", "--no-bias-decay", "--save", "s.st", "--save-every", "100",
                "--log", "m.jsonl", "--plot", "c.png", "--optimizer", "adamw");
        assertEquals("cosine:warmup=2", o.schedule());
        assertEquals(new EarlyStopping(5, 0.001), o.earlyStopping());
        assertEquals(Monitor.ACCURACY, o.monitor());
        assertEquals(1.0, o.clipNorm());
        assertEquals(0.5, o.clipValue());
        assertTrue(o.noBiasDecay());
        assertEquals(100, o.saveEvery());
        assertEquals(Path.of("m.jsonl"), o.log());
        assertEquals(Path.of("c.png"), o.plot());
        assertEquals(new EarlyStopping(3, 0), parse("--early-stop", "patience=3").earlyStopping());

        Options p = parse("--predict", "m.st", "--input", "rows.csv", "--output", "out.csv");
        assertEquals(Path.of("m.st"), p.predict());
        assertEquals(Path.of("rows.csv"), p.input());
        assertEquals(Path.of("out.csv"), p.output());
        assertEquals(Path.of("m.st"), parse("--eval", "m.st").eval());
    }

    @Test
    void searchTakesListsAndRanges() throws Exception {
        Options grid = parse("--search", "grid", "--lr", "0.01,0.05,0.1", "--batch", "32,64", "--weight-decay", "log:1e-5:1e-3:3",
                "--size", "hidden=32,64", "--size", "depth=2");
        assertEquals(HyperparameterSearch.Strategy.GRID, grid.search());
        assertEquals(new Dimension.Choices("lr", false, new double[] {0.01, 0.05, 0.1}).toString().length() > 0, true);
        assertEquals(3, grid.searched().get("lr").gridValues().length);
        assertEquals(2, grid.searched().get("batch").gridValues().length);
        double[] wd = grid.searched().get("weight_decay").gridValues();
        assertEquals(1e-5, wd[0], 1e-20);
        assertEquals(1e-4, wd[1], 1e-16);
        assertEquals(1e-3, wd[2], 1e-18);
        assertEquals("32,64", grid.sizes().get("hidden"));
        assertEquals(0.01, grid.lr()); // the default stays for a run outside the search

        Options random = parse("--search", "random:20", "--lr", "log:1e-4:1e-1");
        assertEquals(HyperparameterSearch.Strategy.RANDOM, random.search());
        assertEquals(20, random.trials());
        assertInstanceOf(Dimension.Range.class, random.searched().get("lr"));
    }

    @Test
    void errorsNameTheOptionAndTheProblem() throws Exception {
        assertEquals("--schedule cos: unknown schedule; use step, exp, cosine, plateau or none", error("--schedule", "cos"));
        assertEquals("--schedule step: needs the epochs between cuts, e.g. step:10 or step:10:0.1", error("--schedule", "step"));
        assertEquals("--schedule step: every expects a whole number, got 'x'", error("--schedule", "step:x"));
        assertEquals("--schedule step: every must be >= 1 epoch, got 0", error("--schedule", "step:0"));
        assertEquals("--schedule cosine: unknown setting 'warm'; settings: warmup, min, period", error("--schedule", "cosine:warm=2"));
        assertEquals("--schedule cosine: '2' needs a name (key=value); settings: warmup, min, period", error("--schedule", "cosine:2"));
        assertEquals("--schedule cosine: warmup (20.0 epochs) must be shorter than the period (20.0 epochs)",
                error("--schedule", "cosine:warmup=20"));
        assertEquals("--schedule plateau: factor must be in (0, 1), got 2.0", error("--schedule", "plateau:factor=2"));
        assertEquals("--schedule plateau: mode must be min or max, got 'up'", error("--schedule", "plateau:mode=up"));
        assertEquals("--schedule step: gamma is given twice", error("--schedule", "step:10:0.1,gamma=0.2"));
        assertEquals("--early-stop: needs the patience in epochs, e.g. --early-stop 5", error("--early-stop", "min-delta=0.1"));
        assertEquals("--early-stop: patience must be >= 1 epoch, got 0", error("--early-stop", "0"));
        assertEquals("--monitor: 'f 1' is not a figure's name; use loss, accuracy or a figure the run reports", error("--monitor", "f 1"));
        assertEquals("--clip-norm must be >= 0, got -1", error("--clip-norm", "-1"));
        assertEquals(0, parse("--clip-norm", "0").clipNorm(), "0 turns off the clipping a model declares");
        assertEquals("--save-every needs --save FILE", error("--save-every", "10"));
        assertEquals("--lr takes one value; lists and ranges (0.1,0.2) need --search grid or --search random:N", error("--lr", "0.1,0.2"));
        assertEquals("--search must be grid or random:N (N trials), got 'bayes'", error("--search", "bayes"));
        assertEquals("--search random must be >= 1, got 0", error("--search", "random:0"));
        assertEquals("--lr: lr: grid search needs a point count, e.g. log:1.0E-4:0.1:4", error("--search", "grid", "--lr", "log:1e-4:1e-1"));
        assertEquals("--lr values must be > 0, got 0", error("--search", "grid", "--lr", "0,0.1"));
        assertEquals("--batch: '1.5' is not a whole number", error("--search", "grid", "--batch", "16,1.5"));
        assertEquals("--size expects NAME=VALUES, e.g. --size hidden=64 or --size hidden=32,64,128, got 'hidden'", error("--size", "hidden"));
        assertEquals("--size hidden is given twice", error("--size", "hidden=3", "--size", "hidden=4"));
        assertEquals("--eval, --predict and --search exclude each other", error("--eval", "a", "--predict", "b"));
        assertEquals("--input goes with --predict CHECKPOINT", error("--input", "x.csv"));
        assertEquals("--resume does not go with --search", error("--search", "grid", "--resume", "r.st"));
        assertEquals("--no-bias-decay takes no value", error("--no-bias-decay=yes"));
    }

    @Test
    void helpDocumentsTheSyntax() {
        String usage = Options.usage("Mlp", "the bundled MNIST subset", DEFAULTS, 4);
        for (String s : new String[] {"--schedule SPEC", "--early-stop N", "EARLY STOPPING (--early-stop N[:min-delta=X])", "--monitor FIGURE", "--clip-norm X",
                "--clip-value X", "--no-bias-decay", "--save-every N", "--log FILE", "--plot FILE", "--eval CHECKPOINT",
                "--predict CHECKPOINT", "--input FILE", "--output FILE", "--search grid|random:N", "--size NAME=VALUES",
                "SCHEDULES", "step:EVERY[:GAMMA]", "cosine[:warmup=E,min=X,period=E]", "plateau[:factor=F", "SEARCH", "log:1e-4:1e-1:4",
                "adamw, rmsprop or adagrad"}) {
            assertTrue(usage.contains(s), s + " in\n" + usage);
        }
        for (String line : usage.split("\n")) assertTrue(line.length() <= 130, "long help line: " + line);
    }
}
