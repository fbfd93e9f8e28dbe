package kiln.runtime.cli;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import kiln.runtime.data.DataSource;
import kiln.runtime.text.TextSource;

/**
 * The {@code main} of every generated model, and of a run with a training step of one's own:
 * {@code System.exit(TrainingMain.run(...))}. Parses the command line ({@link Options}; an option
 * that does not apply to the kind of run is an error), loads the data, builds the models and
 * optimizers, and trains them with the one training loop; or evaluates or predicts with a
 * checkpoint ({@code --eval}, {@code --predict}), writes text with one ({@code --sample}, language
 * models), or searches hyperparameters ({@code --search}).
 *
 * <ul>
 *   <li>{@link #run(String, ModelFactory, DataSource, TrainDefaults, String[])}: a generated model on a data set;
 *   <li>{@link #run(String, ModelFactory, TextSource, TrainDefaults, String[])}: a character language model on a text
 *       (truncated backpropagation through time, the last 10% held out, the vocabulary saved in the checkpoint,
 *       text written at the end);
 *   <li>{@link #run(String, ParametricModelFactory, DataSource, TrainDefaults, String[])}: a model whose sizes are
 *       chosen at run time (and searched);
 *   <li>{@link #run(String, CustomTrainingFactory, DataSource, TrainDefaults, String[])}: a run with its own step.
 * </ul>
 *
 * <p>Exit codes: 0 on success (and for {@code --help}); 2 for anything the user can fix before
 * training starts (a bad option, a missing or corrupt data file, a checkpoint that is corrupt or
 * belongs to another model); 1 when training fails (the loss diverged, a checkpoint cannot be
 * written, every search trial failed). Every failure prints one line {@code error: ...} on stderr,
 * never a stack trace.
 */
public final class TrainingMain {
    public static final int OK = 0;
    public static final int FAILED = 1;
    public static final int USAGE = 2;

    private TrainingMain() {}

    /** A generated model trained on a data set. */
    public static int run(String modelName, ModelFactory factory, DataSource data, TrainDefaults defaults, String[] args) {
        return run(modelName, factory, data, defaults, args, System.out, System.err);
    }

    /** As above, writing the log to {@code out} and errors to {@code err}. */
    public static int run(String modelName, ModelFactory factory, DataSource data, TrainDefaults defaults, String[] args,
            PrintStream out, PrintStream err) {
        return run(modelName, ParametricModelFactory.of(factory), data, defaults, args, out, err);
    }

    /** A model whose sizes are chosen at run time (and searched by {@code --search}). */
    public static int run(String modelName, ParametricModelFactory factory, DataSource data, TrainDefaults defaults, String[] args) {
        return run(modelName, factory, data, defaults, args, System.out, System.err);
    }

    public static int run(String modelName, ParametricModelFactory factory, DataSource data, TrainDefaults defaults, String[] args,
            PrintStream out, PrintStream err) {
        return run(modelName, factory, data, null, defaults, args, out, err);
    }

    /**
     * A generated model on a data set whose main also writes {@code report} after training and
     * after {@code --eval} (the generated main of a {@code @Model} class that implements
     * {@link Report}); {@code report} may be null.
     */
    public static int run(String modelName, ModelFactory factory, DataSource data, Report report, TrainDefaults defaults,
            String[] args) {
        return run(modelName, ParametricModelFactory.of(factory), data, report, defaults, args, System.out, System.err);
    }

    /** As above, for sizes chosen at run time, writing the log to {@code out} and errors to {@code err}. */
    public static int run(String modelName, ParametricModelFactory factory, DataSource data, Report report, TrainDefaults defaults,
            String[] args, PrintStream out, PrintStream err) {
        return main(modelName, RunKind.DATA_SET, data.describe() + " from its default location", defaults, args, out, err,
                options -> new DataWorkload(modelName, factory, data, report, options, out));
    }

    /** A character language model trained on a text; {@code --batch} is the number of parallel streams the text is read in. */
    public static int run(String modelName, ModelFactory factory, TextSource text, TrainDefaults defaults, String[] args) {
        return run(modelName, factory, text, defaults, args, System.out, System.err);
    }

    /** As above, writing the log and the text to {@code out} and errors to {@code err}. */
    public static int run(String modelName, ModelFactory factory, TextSource text, TrainDefaults defaults, String[] args,
            PrintStream out, PrintStream err) {
        return main(modelName, RunKind.TEXT, text.describe() + ", the bundled sample", defaults, args, out, err,
                options -> new TextWorkload(modelName, factory, text, options, out));
    }

    /**
     * A run with its own training step ({@link kiln.runtime.train.CustomTraining}), e.g. a GAN's
     * generator and discriminator: the same options, checkpoints (every model and optimizer under
     * its name), exact resume, schedules, logs and curves as a generated model's main.
     */
    public static int run(String name, CustomTrainingFactory setup, DataSource data, TrainDefaults defaults, String[] args) {
        return run(name, setup, data, defaults, args, System.out, System.err);
    }

    /** As above, writing the log to {@code out} and errors to {@code err}. */
    public static int run(String name, CustomTrainingFactory setup, DataSource data, TrainDefaults defaults, String[] args,
            PrintStream out, PrintStream err) {
        return main(name, RunKind.CUSTOM, data.describe() + " from its default location", defaults, args, out, err,
                options -> new CustomWorkload(name, setup, data, options, out));
    }

    /** Makes the workload of parsed options. */
    private interface WorkloadFactory {
        Workload create(Options options);
    }

    private static int main(String name, RunKind kind, String dataDefault, TrainDefaults defaults, String[] args, PrintStream out,
            PrintStream err, WorkloadFactory workloads) {
        int processors = Runtime.getRuntime().availableProcessors();
        Options options;
        Workload workload;
        try {
            options = Options.parse(args, defaults, processors, kind);
            workload = workloads.create(options);
            if (!options.help()) {
                checkPaths(options);
                checkSizes(name, workload, options);
            }
        } catch (UsageException e) {
            err.println("error: " + e.getMessage() + "; try --help");
            return USAGE;
        }
        if (options.help()) {
            out.print(Options.usage(name, dataDefault, defaults, processors, kind));
            out.flush();
            return OK;
        }
        try {
            return new Session(workload).run();
        } catch (Failure f) {
            out.flush();
            err.println("error: " + f.getMessage());
            return f.code;
        }
    }

    /** Fails early, before any training, when a checkpoint could not be read or written later. */
    private static void checkPaths(Options options) throws UsageException {
        checkReadable("--resume", options.resume());
        checkReadable("--eval", options.eval());
        checkReadable("--predict", options.predict());
        checkReadable("--sample", options.sample());
        checkReadable("--input", options.input());
        checkWritable("--save", options.save());
        checkWritable("--log", options.log());
        checkWritable("--plot", options.plot());
        checkWritable("--output", options.output());
    }

    private static void checkReadable(String flag, Path file) throws UsageException {
        if (file != null && !Files.isRegularFile(file)) throw new UsageException(flag + ": no such file " + file);
    }

    private static void checkWritable(String flag, Path file) throws UsageException {
        if (file == null) return;
        Path dir = file.toAbsolutePath().getParent();
        if (dir == null || !Files.isDirectory(dir)) throw new UsageException(flag + ": no such directory " + dir);
        if (Files.isDirectory(file)) throw new UsageException(flag + ": " + file + " is a directory");
    }

    private static void checkSizes(String name, Workload workload, Options options) throws UsageException {
        for (String size : options.sizes().keySet()) {
            if (!workload.sizeChoices().containsKey(size)) {
                throw new UsageException("--size: " + (workload.sizeChoices().isEmpty() ? name + " has fixed sizes"
                        : name + " has no size '" + size + "'; its sizes are " + String.join(", ", workload.sizeChoices().keySet())));
            }
        }
    }
}
