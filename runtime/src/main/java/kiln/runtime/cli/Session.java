package kiln.runtime.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import kiln.runtime.data.DataException;
import kiln.runtime.io.SafeTensors;
import kiln.runtime.optim.LearningRateSchedule;
import kiln.runtime.train.Checkpoint;
import kiln.runtime.train.Monitor;
import kiln.runtime.train.Progress;
import kiln.runtime.train.TrainConfig;
import kiln.runtime.train.TrainResult;
import kiln.runtime.train.TrainedModel;
import kiln.runtime.train.Trainer;
import kiln.runtime.train.TrainingDivergedException;
import kiln.runtime.tune.Dimension;
import kiln.runtime.tune.HyperparameterSearch;
import kiln.runtime.tune.Trial;
import kiln.runtime.tune.TrialResult;

/**
 * One invocation of a main: the mode the options ask for (train, search, evaluate, predict, sample),
 * run the same way whatever the {@link Workload}. Training builds the models for the setting,
 * restores a checkpoint when resuming, checks the models against the data, prints a header line,
 * and hands everything to the {@link Trainer}.
 */
final class Session {
    /** Checkpoint metadata this class adds: the model's sizes ({@code hidden=64,...}) and the seed that split the data. */
    static final String SIZES = "sizes", DATA_SEED = "data_seed";

    private final Workload workload;
    private final Options options;
    private final PrintStream out;

    Session(Workload workload) {
        this.workload = workload;
        this.options = workload.options;
        this.out = workload.out;
    }

    int run() throws Failure {
        if (options.sample() != null) {
            workload.sample(options.sample());
        } else if (options.eval() != null) {
            evaluate(options.eval());
        } else if (options.predict() != null) {
            workload.predict(options.predict(), metadata(options.predict()));
        } else if (options.search() != null) {
            search();
        } else {
            train();
        }
        return TrainingMain.OK;
    }

    // ---- training ----

    private void train() throws Failure {
        Map<String, Integer> sizes = new LinkedHashMap<>(defaultSizes());
        options.sizes().forEach((name, value) -> sizes.put(name, Integer.parseInt(value.strip())));
        long dataSeed = options.seed();
        if (options.resume() != null) {
            Map<String, String> meta = metadata(options.resume());
            if (meta.containsKey(SIZES)) sizes.putAll(parseSizes(options.resume(), meta.get(SIZES)));
            dataSeed = dataSeed(options.resume(), meta);
        }
        workload.load(dataSeed);
        trainWith(new Setting(sizes, options.lr(), options.batch(), options.weightDecay(), options.seed()), dataSeed, options.resume());
    }

    /** Trains one setting as the options say (checkpoints, log, curves), then tests it once. */
    private void trainWith(Setting s, long dataSeed, Path resume) throws Failure {
        try (Built built = workload.build(s)) {
            LearningRateSchedule schedule = schedule();
            Checkpoint.Restored restored = resume == null ? null : restore(resume, built);
            workload.check(built);
            out.println(header(built, schedule, s.batch()));
            Map<String, String> meta = new LinkedHashMap<>();
            if (!s.sizes().isEmpty()) meta.put(SIZES, s.formatSizes());
            meta.put(DATA_SEED, Long.toString(dataSeed));
            TrainConfig config = config(s, schedule, options.save(), resume).withSaveEvery(options.saveEvery())
                    .withLog(options.log(), options.plot()).withMetadata(meta);
            try {
                workload.fit(built, config, restored);
            } catch (TrainingDivergedException | IOException | DataException e) {
                throw Failure.failed(e.getMessage());
            } catch (IllegalArgumentException | IllegalStateException e) { // a step of one's own, or its evaluator, refused to go on
                throw Failure.failed(e.getMessage());
            }
            workload.afterTraining(built);
        }
    }

    /**
     * Restores {@code built} from {@code file}. An explicit {@code --lr} replaces the checkpoint's
     * rate, e.g. to fine-tune more gently: every optimizer goes on from the rate it was built with.
     */
    private Checkpoint.Restored restore(Path file, Built built) throws Failure {
        workload.checkCheckpoint(file, metadata(file));
        List<TrainedModel> models = built.models();
        double[] rates = new double[models.size()];
        for (int k = 0; k < rates.length; k++) rates[k] = models.get(k).optimizer().learningRate();
        Checkpoint.Restored restored;
        try {
            restored = Checkpoint.restore(file, models);
        } catch (IOException e) {
            throw Failure.usage(e.getMessage());
        }
        if (options.lrGiven()) {
            for (int k = 0; k < rates.length; k++) {
                models.get(k).optimizer().setLearningRate(rates[k]);
                restored = restored.withMetadata((models.size() > 1 ? models.get(k).name() + "/" : "") + Trainer.BASE_LR, Double.toString(rates[k]));
            }
        }
        return restored;
    }

    private TrainConfig config(Setting s, LearningRateSchedule schedule, Path save, Path resume) {
        return new TrainConfig(options.epochs(), s.batch(), s.seed(), save, resume)
                .withSchedule(schedule)
                .withEarlyStopping(options.earlyStopping())
                .withMonitor(options.monitor())
                .withClipping(options.clipNorm(), options.clipValue());
    }

    private LearningRateSchedule schedule() throws Failure {
        try {
            return SpecSyntax.schedule(options.schedule(), options.epochs(), options.monitor());
        } catch (UsageException e) {
            throw Failure.usage(e.getMessage() + "; try --help");
        }
    }

    private String header(Built built, LearningRateSchedule schedule, int batch) {
        List<String> training = new ArrayList<>();
        String optimizers = workload.describeOptimizers(built);
        if (!optimizers.isEmpty()) training.add(optimizers);
        if (schedule != null) training.add(schedule.describe());
        if (options.earlyStopping() != null) training.add(options.earlyStopping().describe() + " on validation " + options.monitor().label());
        if (options.clipNorm() > 0) training.add("clip norm " + options.clipNorm());
        if (options.clipValue() > 0) training.add("clip value " + options.clipValue());
        int threads = built.model().threads();
        return workload.describe(built) + (training.isEmpty() ? "" : " | " + String.join(", ", training)) + " | "
                + workload.describeBatch(built, batch) + ", " + threads + " thread" + (threads == 1 ? "" : "s");
    }

    // ---- search ----

    private void search() throws Failure {
        long dataSeed = options.seed();
        workload.load(dataSeed);
        List<Dimension> space = new ArrayList<>();
        space.add(options.searched().getOrDefault(Options.LR, new Dimension.Choices(Options.LR, false, new double[] {options.lr()})));
        space.add(options.searched().getOrDefault(Options.BATCH, new Dimension.Choices(Options.BATCH, true, new double[] {options.batch()})));
        space.add(options.searched().getOrDefault(Options.WEIGHT_DECAY,
                new Dimension.Choices(Options.WEIGHT_DECAY, false, new double[] {options.weightDecay()})));
        for (Map.Entry<String, int[]> size : workload.sizeChoices().entrySet()) {
            String given = options.sizes().get(size.getKey());
            space.add(given != null ? HyperparameterSearch.dimension(size.getKey(), given, true)
                    : new Dimension.Choices(size.getKey(), true, java.util.Arrays.stream(size.getValue()).asDoubleStream().toArray()));
        }
        List<Trial> trials = options.search() == HyperparameterSearch.Strategy.GRID
                ? HyperparameterSearch.grid(space, options.seed())
                : HyperparameterSearch.random(space, options.trials(), options.seed());
        Monitor monitor = options.monitor();
        List<String> varying = space.stream().filter(Dimension::varies).map(Dimension::name).toList();
        out.println(String.format(Locale.ROOT, "%s search over %s: %d trials of %d epochs on %s, scored by validation %s",
                options.search() == HyperparameterSearch.Strategy.GRID ? "grid" : "random", varying.isEmpty() ? "nothing (one setting)"
                        : String.join(", ", varying), trials.size(), options.epochs(), workload.describeTrainingSize(), monitor.label()));
        List<TrialResult> results = HyperparameterSearch.run(trials, monitor.maximize(), trial -> runTrial(trial),
                r -> out.println(String.format(Locale.ROOT, "trial %d/%d  %s: %s  (%.1f s)", r.trial().number(), trials.size(),
                        HyperparameterSearch.describe(r.trial(), space.stream().filter(Dimension::varies).toList()),
                        r.failure() != null ? "failed: " + r.failure() : "val " + (monitor.equals(Monitor.LOSS) || monitor.equals(Monitor.ACCURACY)
                                ? Progress.figures(r.validationLoss(), r.validationAccuracy()) : monitor.label() + " " + monitor.format(r.score())),
                        r.seconds())));
        out.println();
        out.print(HyperparameterSearch.table(results, space));
        out.println();
        TrialResult best = results.get(0);
        if (best.failure() != null) throw Failure.failed("every trial failed; the first: " + best.failure());
        Trial t = best.trial();
        out.println(String.format(Locale.ROOT, "best: trial %d (%s), validation %s %s; training it again with seed %d and testing it once",
                t.number(), HyperparameterSearch.describe(t, space), monitor.label(), monitor.format(best.score()), t.seed()));
        trainWith(setting(t), dataSeed, null);
    }

    private Setting setting(Trial t) {
        Map<String, Integer> sizes = new LinkedHashMap<>();
        for (String name : workload.sizeChoices().keySet()) sizes.put(name, t.intValue(name));
        return new Setting(sizes, t.value(Options.LR), t.intValue(Options.BATCH), t.value(Options.WEIGHT_DECAY), t.seed());
    }

    private TrialResult runTrial(Trial trial) throws Exception {
        Setting s = setting(trial);
        try (Built built = workload.build(s)) {
            workload.check(built);
            TrainResult r = workload.fit(built, config(s, schedule(), null, null).asTrial(), null);
            return new TrialResult(trial, options.monitor().of(r.validation()), r.validationLoss(), r.validationAccuracy(), r.epoch(), r.seconds(),
                    null);
        } catch (Failure f) {
            throw new Exception(f.getMessage());
        }
    }

    // ---- evaluation ----

    private void evaluate(Path file) throws Failure {
        Map<String, String> meta = metadata(file);
        workload.load(dataSeed(file, meta));
        try (Built built = buildFor(workload, file, meta)) {
            workload.checkCheckpoint(file, meta);
            Workload.loadWeights(file, built);
            workload.evaluate(built, file, meta);
        }
    }

    /** The models {@code file} was trained with, by the sizes it records, for {@code --batch} rows: for evaluation and prediction. */
    static Built buildFor(Workload workload, Path file, Map<String, String> meta) throws Failure {
        Map<String, Integer> sizes = new LinkedHashMap<>(defaultSizes(workload));
        if (meta.containsKey(SIZES)) sizes.putAll(parseSizes(file, meta.get(SIZES)));
        Options o = workload.options;
        return workload.build(new Setting(sizes, o.lr(), o.batch(), o.weightDecay(), o.seed()));
    }

    // ---- checkpoint metadata ----

    private Map<String, Integer> defaultSizes() {
        return defaultSizes(workload);
    }

    private static Map<String, Integer> defaultSizes(Workload workload) {
        Map<String, Integer> sizes = new LinkedHashMap<>();
        workload.sizeChoices().forEach((name, choices) -> sizes.put(name, choices[0]));
        return sizes;
    }

    static Map<String, String> metadata(Path file) throws Failure {
        try {
            return SafeTensors.readMetadata(file);
        } catch (IOException e) {
            throw Failure.usage(e.getMessage());
        }
    }

    /** The seed that split the data of the run that saved {@code file}, so its evaluation sees the same test split. */
    static long dataSeed(Path file, Map<String, String> meta) throws Failure {
        String text = meta.getOrDefault(DATA_SEED, meta.get("seed"));
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw Failure.usage(file + ": metadata " + DATA_SEED + " is " + text + ", expected an integer");
        }
    }

    private static Map<String, Integer> parseSizes(Path file, String text) throws Failure {
        Map<String, Integer> sizes = new LinkedHashMap<>();
        if (text.isBlank()) return sizes;
        for (String item : text.split(",")) {
            String[] nv = item.split("=");
            try {
                sizes.put(nv[0], Integer.parseInt(nv[1]));
            } catch (RuntimeException e) {
                throw Failure.usage(file + ": metadata " + SIZES + " is '" + text + "', expected name=size,...");
            }
        }
        return sizes;
    }
}
