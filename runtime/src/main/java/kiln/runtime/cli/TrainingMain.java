package kiln.runtime.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import kiln.runtime.Batch;
import kiln.runtime.CompiledModel;
import kiln.runtime.TargetKind;
import kiln.runtime.data.DataException;
import kiln.runtime.data.DataSource;
import kiln.runtime.data.InputReader;
import kiln.runtime.data.Splits;
import kiln.runtime.data.csv.CsvReader;
import kiln.runtime.io.AtomicFiles;
import kiln.runtime.io.SafeTensors;
import kiln.runtime.optim.LearningRateSchedule;
import kiln.runtime.optim.Optimizer;
import kiln.runtime.optim.Optimizers;
import kiln.runtime.train.Checkpoint;
import kiln.runtime.train.Evaluation;
import kiln.runtime.train.Metrics;
import kiln.runtime.train.Monitor;
import kiln.runtime.train.Progress;
import kiln.runtime.train.TrainConfig;
import kiln.runtime.train.TrainResult;
import kiln.runtime.train.Trainer;
import kiln.runtime.train.TrainingDivergedException;
import kiln.runtime.tune.Dimension;
import kiln.runtime.tune.HyperparameterSearch;
import kiln.runtime.tune.Trial;
import kiln.runtime.tune.TrialResult;

/**
 * The {@code main} of every generated model: {@code System.exit(TrainingMain.run(...))}. Parses the
 * command line, loads the data, builds the model and optimizer, and trains; or evaluates or
 * predicts with a checkpoint ({@code --eval}, {@code --predict}); or searches hyperparameters
 * ({@code --search}). See {@link Options#usage} for the options.
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

    /** Checkpoint metadata this class adds: the model's sizes ({@code hidden=64,...}) and the seed that split the data. */
    static final String SIZES = "sizes", DATA_SEED = "data_seed";

    private TrainingMain() {}

    public static int run(String modelName, ModelFactory factory, DataSource defaultData, TrainDefaults defaults, String[] args) {
        return run(modelName, factory, defaultData, defaults, args, System.out, System.err);
    }

    /** As above, writing the log to {@code out} and errors to {@code err}. */
    public static int run(String modelName, ModelFactory factory, DataSource defaultData, TrainDefaults defaults, String[] args,
            PrintStream out, PrintStream err) {
        return run(modelName, ParametricModelFactory.of(factory), defaultData, defaults, args, out, err);
    }

    /** For a model whose sizes are chosen at run time (and searched by {@code --search}). */
    public static int run(String modelName, ParametricModelFactory factory, DataSource defaultData, TrainDefaults defaults,
            String[] args) {
        return run(modelName, factory, defaultData, defaults, args, System.out, System.err);
    }

    public static int run(String modelName, ParametricModelFactory factory, DataSource defaultData, TrainDefaults defaults,
            String[] args, PrintStream out, PrintStream err) {
        int processors = Runtime.getRuntime().availableProcessors();
        Options options;
        try {
            options = Options.parse(args, defaults, processors);
            checkPaths(options);
            checkSizes(modelName, factory, options);
        } catch (UsageException e) {
            err.println("error: " + e.getMessage() + "; try --help");
            return USAGE;
        }
        if (options.help()) {
            out.print(Options.usage(modelName, defaultData.describe() + " from its default location", defaults, processors));
            out.flush();
            return OK;
        }
        Session session = new Session(modelName, factory, defaultData, options, out);
        try {
            if (options.eval() != null) return session.evaluate();
            if (options.predict() != null) return session.predict();
            if (options.search() != null) return session.search();
            return session.train();
        } catch (Failure f) {
            out.flush();
            err.println("error: " + f.getMessage());
            return f.code;
        }
    }

    /** Fails early, before any training, when a checkpoint could not be read or written later. */
    private static void checkPaths(Options options) throws UsageException {
        if (options.help()) return;
        checkReadable("--resume", options.resume());
        checkReadable("--eval", options.eval());
        checkReadable("--predict", options.predict());
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

    private static void checkSizes(String modelName, ParametricModelFactory factory, Options options) throws UsageException {
        for (String name : options.sizes().keySet()) {
            if (!factory.sizeChoices().containsKey(name)) {
                throw new UsageException("--size: " + (factory.sizeChoices().isEmpty() ? modelName + " has fixed sizes"
                        : modelName + " has no size '" + name + "'; its sizes are " + String.join(", ", factory.sizeChoices().keySet())));
            }
        }
    }

    /** A failure with its exit code; the message is the one line printed. */
    private static final class Failure extends Exception {
        private static final long serialVersionUID = 1L;
        final int code;

        Failure(int code, String message) {
            super(message, null, false, false);
            this.code = code;
        }
    }

    /** One hyperparameter setting to train with. */
    private record Setting(Map<String, Integer> sizes, double lr, int batch, double weightDecay, long seed) {}

    /** One invocation: the options and what they name. */
    private static final class Session {
        private final String modelName;
        private final ParametricModelFactory factory;
        private final DataSource data;
        private final Options options;
        private final PrintStream out;

        Session(String modelName, ParametricModelFactory factory, DataSource data, Options options, PrintStream out) {
            this.modelName = modelName;
            this.factory = factory;
            this.data = data;
            this.options = options;
            this.out = out;
        }

        // ---- training ----

        int train() throws Failure {
            Map<String, Integer> sizes = new LinkedHashMap<>(factory.defaultSizes());
            options.sizes().forEach((name, value) -> sizes.put(name, Integer.parseInt(value.strip())));
            long dataSeed = options.seed();
            if (options.resume() != null) {
                Map<String, String> meta = metadata(options.resume());
                if (meta.containsKey(SIZES)) sizes.putAll(parseSizes(options.resume(), meta.get(SIZES)));
                dataSeed = dataSeed(options.resume(), meta);
            }
            Splits splits = load(dataSeed);
            return trainWith(new Setting(sizes, options.lr(), options.batch(), options.weightDecay(), options.seed()), splits, dataSeed,
                    options.resume());
        }

        /** Trains one setting as the options say (checkpoints, log, curves), then tests once. */
        private int trainWith(Setting s, Splits splits, long dataSeed, Path resume) throws Failure {
            CompiledModel model = build(s.sizes, s.batch);
            try (model) {
                model.initParams(s.seed);
                Optimizer optimizer = optimizer(model, s);
                LearningRateSchedule schedule = schedule();
                Checkpoint.Restored restored = null;
                if (resume != null) {
                    try {
                        restored = Checkpoint.restore(resume, model, optimizer);
                    } catch (IOException e) {
                        throw new Failure(USAGE, e.getMessage());
                    }
                    // An explicit --lr overrides the checkpoint's rate, e.g. to fine-tune more gently.
                    if (options.lrGiven()) {
                        optimizer.setLearningRate(options.lr());
                        restored = restored.withMetadata(Trainer.BASE_LR, Double.toString(options.lr()));
                    }
                }
                checkFits(model, splits);
                out.println(header(model, splits, optimizer, schedule, s.batch));
                Map<String, String> meta = new LinkedHashMap<>();
                if (!s.sizes.isEmpty()) meta.put(SIZES, formatSizes(s.sizes));
                meta.put(DATA_SEED, Long.toString(dataSeed));
                TrainConfig config = config(s, schedule, options.save(), resume)
                        .withSaveEvery(options.saveEvery())
                        .withLog(options.log(), options.plot())
                        .withMetadata(meta);
                try {
                    new Trainer().fit(model, optimizer, splits, config, restored, out);
                } catch (TrainingDivergedException | IOException | DataException e) {
                    throw new Failure(FAILED, e.getMessage());
                }
                return OK;
            }
        }

        private TrainConfig config(Setting s, LearningRateSchedule schedule, Path save, Path resume) {
            return new TrainConfig(options.epochs(), s.batch, s.seed, save, resume)
                    .withSchedule(schedule)
                    .withEarlyStopping(options.earlyStopping())
                    .withMonitor(options.monitor())
                    .withClipping(options.clipNorm(), options.clipValue());
        }

        private LearningRateSchedule schedule() throws Failure {
            try {
                return SpecSyntax.schedule(options.schedule(), options.epochs(), options.monitor());
            } catch (UsageException e) {
                throw new Failure(USAGE, e.getMessage() + "; try --help");
            }
        }

        private Optimizer optimizer(CompiledModel model, Setting s) throws Failure {
            try {
                return Optimizers.forModel(options.optimizer(), model, s.lr, s.weightDecay, options.noBiasDecay());
            } catch (IllegalArgumentException e) {
                throw new Failure(USAGE, e.getMessage() + "; try --help");
            }
        }

        private CompiledModel build(Map<String, Integer> sizes, int maxBatch) throws Failure {
            try {
                return factory.create(sizes, maxBatch, options.threads());
            } catch (IllegalArgumentException e) {
                throw new Failure(USAGE, "cannot build " + modelName + (sizes.isEmpty() ? "" : " with " + formatSizes(sizes)) + ": " + e.getMessage());
            }
        }

        private Splits load(long seed) throws Failure {
            try {
                return data.load(options.data(), seed);
            } catch (DataException e) {
                throw new Failure(USAGE, e.getMessage());
            }
        }

        private void checkFits(CompiledModel model, Splits splits) throws Failure {
            try {
                splits.train().checkFits(model);
                splits.validation().checkFits(model);
                splits.test().checkFits(model);
            } catch (DataException e) {
                throw new Failure(USAGE, e.getMessage());
            }
            if (options.monitor() == Monitor.ACCURACY && model.targetKind() == TargetKind.REGRESSION) {
                throw new Failure(USAGE, "--monitor accuracy: " + model.name() + " is a regression model, which has no accuracy; try --help");
            }
        }

        private String header(CompiledModel model, Splits splits, Optimizer optimizer, LearningRateSchedule schedule, int batch) {
            StringBuilder extras = new StringBuilder();
            if (schedule != null) extras.append(", ").append(schedule.describe());
            if (options.earlyStopping() != null) extras.append(", ").append(options.earlyStopping().describe()).append(" on validation ")
                    .append(options.monitor().label());
            if (options.clipNorm() > 0) extras.append(", clip norm ").append(options.clipNorm());
            if (options.clipValue() > 0) extras.append(", clip value ").append(options.clipValue());
            return String.format(Locale.ROOT, "%s: %,d parameters | %s%s: %,d train, %,d validation, %,d test | %s%s | batch %d, %d thread%s",
                    model.name(), model.parameterCount(), data.describe(), options.data() == null ? "" : " from " + options.data(),
                    splits.train().size(), splits.validation().size(), splits.test().size(), optimizer.describe(), extras,
                    batch, model.threads(), model.threads() == 1 ? "" : "s");
        }

        // ---- search ----

        int search() throws Failure {
            long dataSeed = options.seed();
            Splits splits = load(dataSeed);
            List<Dimension> space = new ArrayList<>();
            space.add(options.searched().getOrDefault(Options.LR, new Dimension.Choices(Options.LR, false, new double[] {options.lr()})));
            space.add(options.searched().getOrDefault(Options.BATCH, new Dimension.Choices(Options.BATCH, true, new double[] {options.batch()})));
            space.add(options.searched().getOrDefault(Options.WEIGHT_DECAY,
                    new Dimension.Choices(Options.WEIGHT_DECAY, false, new double[] {options.weightDecay()})));
            for (Map.Entry<String, int[]> size : factory.sizeChoices().entrySet()) {
                String given = options.sizes().get(size.getKey());
                space.add(given != null ? HyperparameterSearch.dimension(size.getKey(), given, true)
                        : new Dimension.Choices(size.getKey(), true, java.util.Arrays.stream(size.getValue()).asDoubleStream().toArray()));
            }
            List<Trial> trials = options.search() == HyperparameterSearch.Strategy.GRID
                    ? HyperparameterSearch.grid(space, options.seed())
                    : HyperparameterSearch.random(space, options.trials(), options.seed());
            Monitor monitor = options.monitor();
            List<String> varying = space.stream().filter(Dimension::varies).map(Dimension::name).toList();
            out.println(String.format(Locale.ROOT, "%s search over %s: %d trials of %d epochs on %,d training samples, scored by validation %s",
                    options.search() == HyperparameterSearch.Strategy.GRID ? "grid" : "random",
                    varying.isEmpty() ? "nothing (one setting)" : String.join(", ", varying), trials.size(), options.epochs(),
                    splits.train().size(), monitor.label()));
            List<TrialResult> results = HyperparameterSearch.run(trials, monitor.maximize(), trial -> runTrial(trial, splits, space),
                    r -> out.println(String.format(Locale.ROOT, "trial %d/%d  %s: %s  (%.1f s)", r.trial().number(), trials.size(),
                            HyperparameterSearch.describe(r.trial(), space.stream().filter(Dimension::varies).toList()),
                            r.failure() != null ? "failed: " + r.failure() : "val " + Progress.figures(r.validationLoss(), r.validationAccuracy()),
                            r.seconds())));
            out.println();
            out.print(HyperparameterSearch.table(results, space));
            out.println();
            TrialResult best = results.get(0);
            if (best.failure() != null) throw new Failure(FAILED, "every trial failed; the first: " + best.failure());
            Trial t = best.trial();
            out.println(String.format(Locale.ROOT, "best: trial %d (%s), validation %s %s; training it again with seed %d and testing it once",
                    t.number(), HyperparameterSearch.describe(t, space), monitor.label(), monitor.format(best.score()), t.seed()));
            return trainWith(setting(t), splits, dataSeed, null);
        }

        private Setting setting(Trial t) {
            Map<String, Integer> sizes = new LinkedHashMap<>();
            for (String name : factory.sizeChoices().keySet()) sizes.put(name, t.intValue(name));
            return new Setting(sizes, t.value(Options.LR), t.intValue(Options.BATCH), t.value(Options.WEIGHT_DECAY), t.seed());
        }

        private TrialResult runTrial(Trial trial, Splits splits, List<Dimension> space) throws Exception {
            Setting s = setting(trial);
            try (CompiledModel model = build(s.sizes, s.batch)) {
                model.initParams(s.seed);
                checkFits(model, splits);
                TrainResult r = new Trainer().fit(model, optimizer(model, s), splits, config(s, schedule(), null, null).asTrial(), (Checkpoint.Restored) null, out);
                double score = options.monitor() == Monitor.LOSS ? r.validationLoss() : r.validationAccuracy();
                return new TrialResult(trial, score, r.validationLoss(), r.validationAccuracy(), r.epoch(), r.seconds(), null);
            } catch (Failure f) {
                throw new Exception(f.getMessage());
            }
        }

        // ---- evaluation and prediction ----

        int evaluate() throws Failure {
            Path file = options.eval();
            Map<String, String> meta = metadata(file);
            Splits splits = load(dataSeed(file, meta));
            try (CompiledModel model = build(sizesOf(file, meta), options.batch())) {
                loadWeights(file, model);
                try {
                    splits.test().checkFits(model);
                } catch (DataException e) {
                    throw new Failure(USAGE, e.getMessage());
                }
                Evaluation test = Metrics.evaluate(model, splits.test(), Batch.forModel(model, model.maxBatch()));
                out.println(String.format(Locale.ROOT, "%s: %s (%s) | %s%s", model.name(), file, weightsOf(meta), data.describe(),
                        options.data() == null ? "" : " from " + options.data()));
                out.println("test  " + Progress.figures(test.loss(), test.accuracy()) + String.format(Locale.ROOT, "  (%,d samples)", test.samples()));
                return OK;
            }
        }

        int predict() throws Failure {
            Path file = options.predict();
            Map<String, String> meta = metadata(file);
            Splits splits = load(dataSeed(file, meta));
            try (CompiledModel model = build(sizesOf(file, meta), options.batch())) {
                loadWeights(file, model);
                float[] x;
                try {
                    if (options.input() == null) {
                        splits.test().checkFits(model);
                        x = splits.test().x();
                    } else if (data instanceof InputReader reader) {
                        x = reader.readInputs(options.input());
                    } else {
                        x = CsvReader.readMatrix(options.input(), model.inputSize());
                    }
                } catch (DataException e) {
                    throw new Failure(USAGE, e.getMessage());
                }
                if (x.length % model.inputSize() != 0) {
                    throw new Failure(USAGE, options.input() + ": the rows encode to " + x.length + " values in all, not a multiple of the "
                            + model.inputSize() + " inputs of " + model.name());
                }
                String text = predictions(model, x);
                int rows = x.length / model.inputSize();
                if (options.output() == null) {
                    out.print(text);
                    out.flush();
                } else {
                    try {
                        AtomicFiles.write(options.output(), o -> o.write(text.getBytes(StandardCharsets.UTF_8)));
                    } catch (IOException e) {
                        throw new Failure(FAILED, options.output() + ": cannot write: " + e.getMessage());
                    }
                    out.println(String.format(Locale.ROOT, "%s (%s): wrote %,d predictions for %s to %s", model.name(), weightsOf(meta), rows,
                            options.input() == null ? "the test split" : options.input(), options.output()));
                }
                return OK;
            }
        }

        /**
         * One line per row: {@code class,probability} for a classifier (the arg-max and its
         * probability), the same per output for a binary model, the values for regression.
         */
        private static String predictions(CompiledModel model, float[] x) {
            model.setTraining(false);
            int in = model.inputSize(), outs = model.outputSize(), rows = x.length / in;
            float[] chunk = new float[model.maxBatch() * in];
            StringBuilder b = new StringBuilder();
            for (int from = 0; from < rows; from += model.maxBatch()) {
                int n = Math.min(model.maxBatch(), rows - from);
                System.arraycopy(x, from * in, chunk, 0, n * in);
                float[] p = model.predict(chunk, n);
                for (int r = 0; r < n; r++) {
                    int base = r * outs;
                    switch (model.targetKind()) {
                        case CLASS_INDEX -> {
                            int best = 0;
                            for (int j = 1; j < outs; j++) if (p[base + j] > p[base + best]) best = j;
                            b.append(best).append(',').append(String.format(Locale.ROOT, "%.6f", p[base + best]));
                        }
                        case BINARY -> {
                            for (int j = 0; j < outs; j++) {
                                float q = p[base + j];
                                if (j > 0) b.append(',');
                                b.append(q >= 0.5f ? 1 : 0).append(',').append(String.format(Locale.ROOT, "%.6f", q >= 0.5f ? q : 1 - q));
                            }
                        }
                        case REGRESSION -> {
                            for (int j = 0; j < outs; j++) {
                                if (j > 0) b.append(',');
                                b.append(p[base + j]);
                            }
                        }
                    }
                    b.append('\n');
                }
            }
            return b.toString();
        }

        private void loadWeights(Path file, CompiledModel model) throws Failure {
            try {
                Checkpoint.loadWeights(file, model);
            } catch (IOException e) {
                throw new Failure(USAGE, e.getMessage());
            }
        }

        private static String weightsOf(Map<String, String> meta) {
            String best = meta.get("early_stopping.best_epoch");
            if (best != null && !best.equals("0")) return "best weights, epoch " + best;
            return "epoch " + meta.getOrDefault("epoch", "?");
        }

        // ---- checkpoint metadata ----

        private static Map<String, String> metadata(Path file) throws Failure {
            try {
                return SafeTensors.readMetadata(file);
            } catch (IOException e) {
                throw new Failure(USAGE, e.getMessage());
            }
        }

        private static long dataSeed(Path file, Map<String, String> meta) throws Failure {
            String text = meta.getOrDefault(DATA_SEED, meta.get("seed"));
            try {
                return Long.parseLong(text);
            } catch (NumberFormatException e) {
                throw new Failure(USAGE, file + ": metadata " + DATA_SEED + " is " + text + ", expected an integer");
            }
        }

        private Map<String, Integer> sizesOf(Path file, Map<String, String> meta) throws Failure {
            Map<String, Integer> sizes = new LinkedHashMap<>(factory.defaultSizes());
            if (meta.containsKey(SIZES)) sizes.putAll(parseSizes(file, meta.get(SIZES)));
            return sizes;
        }

        private static Map<String, Integer> parseSizes(Path file, String text) throws Failure {
            Map<String, Integer> sizes = new LinkedHashMap<>();
            if (text.isBlank()) return sizes;
            for (String item : text.split(",")) {
                String[] nv = item.split("=");
                try {
                    sizes.put(nv[0], Integer.parseInt(nv[1]));
                } catch (RuntimeException e) {
                    throw new Failure(USAGE, file + ": metadata " + SIZES + " is '" + text + "', expected name=size,...");
                }
            }
            return sizes;
        }

        private static String formatSizes(Map<String, Integer> sizes) {
            StringBuilder b = new StringBuilder();
            sizes.forEach((k, v) -> b.append(b.length() == 0 ? "" : ",").append(k).append('=').append(v));
            return b.toString();
        }
    }
}
