package kiln.runtime.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import kiln.runtime.CompiledModel;
import kiln.runtime.data.DataException;
import kiln.runtime.data.DataSource;
import kiln.runtime.data.Splits;
import kiln.runtime.optim.Optimizer;
import kiln.runtime.optim.Optimizers;
import kiln.runtime.train.Checkpoint;
import kiln.runtime.train.TrainConfig;
import kiln.runtime.train.Trainer;
import kiln.runtime.train.TrainingDivergedException;
import kiln.runtime.train.TrainingState;

/**
 * The {@code main} of every generated model: {@code System.exit(TrainingMain.run(...))}. Parses the
 * command line, loads the data, builds the model and optimizer, and trains.
 *
 * <p>Exit codes: 0 on success (and for {@code --help}); 2 for anything the user can fix before
 * training starts (a bad option, a missing or corrupt data file, a checkpoint that is corrupt or
 * belongs to another model); 1 when training fails (the loss diverged, a checkpoint cannot be
 * written). Every failure prints one line {@code error: ...} on stderr, never a stack trace.
 */
public final class TrainingMain {
    public static final int OK = 0;
    public static final int FAILED = 1;
    public static final int USAGE = 2;

    private TrainingMain() {}

    public static int run(String modelName, ModelFactory factory, DataSource defaultData, TrainDefaults defaults, String[] args) {
        return run(modelName, factory, defaultData, defaults, args, System.out, System.err);
    }

    /** As above, writing the log to {@code out} and errors to {@code err}. */
    public static int run(String modelName, ModelFactory factory, DataSource defaultData, TrainDefaults defaults, String[] args,
            PrintStream out, PrintStream err) {
        int processors = Runtime.getRuntime().availableProcessors();
        Options options;
        try {
            options = Options.parse(args, defaults, processors);
            checkPaths(options);
        } catch (UsageException e) {
            err.println("error: " + e.getMessage() + "; try --help");
            return USAGE;
        }
        if (options.help()) {
            out.print(Options.usage(modelName, defaultData.describe() + " from its default location", defaults, processors));
            out.flush();
            return OK;
        }

        Splits splits;
        try {
            splits = defaultData.load(options.data(), options.seed());
        } catch (DataException e) {
            err.println("error: " + e.getMessage());
            return USAGE;
        }

        CompiledModel model;
        try {
            model = factory.create(options.batch(), options.threads());
        } catch (IllegalArgumentException e) {
            err.println("error: cannot build " + modelName + ": " + e.getMessage());
            return USAGE;
        }
        try (model) {
            model.initParams(options.seed());
            Optimizer optimizer;
            try {
                optimizer = Optimizers.create(options.optimizer(), model.params(), options.lr(), options.weightDecay());
            } catch (IllegalArgumentException e) {
                err.println("error: " + e.getMessage() + "; try --help");
                return USAGE;
            }
            TrainingState resumed = null;
            if (options.resume() != null) {
                try {
                    resumed = Checkpoint.load(options.resume(), model, optimizer);
                } catch (IOException e) {
                    err.println("error: " + e.getMessage());
                    return USAGE;
                }
                // An explicit --lr overrides the checkpoint's rate, e.g. to fine-tune more gently.
                if (options.lrGiven()) optimizer.setLearningRate(options.lr());
            }
            try {
                splits.train().checkFits(model);
                splits.validation().checkFits(model);
                splits.test().checkFits(model);
            } catch (DataException e) {
                err.println("error: " + e.getMessage());
                return USAGE;
            }

            out.println(header(model, defaultData, options, splits, optimizer));
            TrainConfig config = new TrainConfig(options.epochs(), options.batch(), options.seed(), options.save(), options.resume());
            try {
                new Trainer().fit(model, optimizer, splits, config, resumed, out);
            } catch (TrainingDivergedException | IOException | DataException e) {
                out.flush();
                err.println("error: " + e.getMessage());
                return FAILED;
            }
            return OK;
        }
    }

    /** Fails early, before any training, when a checkpoint could not be read or written later. */
    private static void checkPaths(Options options) throws UsageException {
        if (options.help()) return;
        if (options.resume() != null && !Files.isRegularFile(options.resume())) {
            throw new UsageException("--resume: no such file " + options.resume());
        }
        if (options.save() != null) {
            Path dir = options.save().toAbsolutePath().getParent();
            if (dir == null || !Files.isDirectory(dir)) throw new UsageException("--save: no such directory " + dir);
            if (Files.isDirectory(options.save())) throw new UsageException("--save: " + options.save() + " is a directory");
        }
    }

    private static String header(CompiledModel model, DataSource data, Options options, Splits splits, Optimizer optimizer) {
        return String.format(Locale.ROOT, "%s: %,d parameters | %s%s: %,d train, %,d validation, %,d test | %s | batch %d, %d threads",
                model.name(), model.parameterCount(), data.describe(), options.data() == null ? "" : " from " + options.data(),
                splits.train().size(), splits.validation().size(), splits.test().size(), optimizer.describe(),
                options.batch(), model.threads());
    }
}
