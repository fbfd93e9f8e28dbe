package kiln.runtime.train;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;
import kiln.runtime.Batch;
import kiln.runtime.optim.LearningRateSchedule;

/**
 * One call of {@link Trainer#fit}: the loop over epochs and batches, and everything that evolves
 * over it (the step count, base rates, schedule and early-stopping state, the history, the
 * running figures, where a resumed epoch stood, what the last checkpoint holds).
 */
final class TrainingLoop {
    private final RunModels models;
    private final TrainingStep step;
    private final BatchSource batches;
    private final Batch batch;
    private final Supplier<Evaluation> validation, test;
    private final boolean perCharacter;
    private final TrainConfig config;
    private final PrintStream log;
    private final LearningRateSchedule schedule;
    private final EarlyStopper stopper;
    private final RunningFigures running = new RunningFigures();
    private final StepContext context;
    private final Progress progress;
    private final double[] base;
    private TrainingHistory history = new TrainingHistory();
    private long seed;
    private long steps;
    private int firstEpoch = 1;
    // Where a mid-epoch checkpoint stood in its epoch; -1 when resuming at an epoch's start.
    private int resumePosition = -1, resumeBatches;
    private long resumeNanos;
    private Map<String, float[]> resumeCarried = Map.of();
    // The batch being trained, for messages.
    private int epoch, batchIndex;
    /** What the last checkpoint this run wrote holds, e.g. "run.safetensors still holds epoch 3"; null before one. */
    private String lastSaved;
    private int lastSavedEpoch = -1;
    private long trainedUnits, trainNanos;
    /** Units per second of the last epoch's training steps in this session. */
    private double epochRate;

    TrainingLoop(List<TrainedModel> models, TrainingStep step, BatchSource batches, Batch batch, Supplier<Evaluation> validation,
            Supplier<Evaluation> test, boolean perCharacter, TrainConfig config, PrintStream out) {
        this.models = new RunModels(models);
        this.step = step;
        this.batches = batches;
        this.batch = batch;
        this.validation = validation;
        this.test = test;
        this.perCharacter = perCharacter;
        this.config = config;
        this.log = config.quiet() ? new PrintStream(OutputStream.nullOutputStream()) : out;
        this.schedule = config.schedule();
        this.stopper = config.earlyStopping() == null ? null
                : new EarlyStopper(config.earlyStopping(), config.monitor(), this.models.tensors, this.models.tensorNames);
        this.context = new StepContext(this.models, running, this::diverged, config.clipNorm(), config.clipValue());
        this.progress = Progress.to(log);
        this.base = new double[this.models.size()];
        for (int k = 0; k < base.length; k++) {
            base[k] = this.models.optimizer(k).learningRate();
            this.models.optimizer(k).useWorkers(this.models.model(k).workerPool());
        }
        this.seed = config.seed();
    }

    TrainResult train(Checkpoint.Restored resumed) throws IOException, TrainingDivergedException {
        long started = System.nanoTime();
        if (resumed != null) resume(resumed);
        for (int k = 0; k < models.size(); k++) models.model(k).setTraining(true); // evaluation switches to inference and back
        Evaluation validated = new Evaluation(Map.of(), 0);
        int lastEpoch = firstEpoch - 1;
        boolean trained = false;
        try {
            for (int e = firstEpoch; e <= config.epochs(); e++) {
                long nanos = trainEpoch(e);
                trained = true;
                lastEpoch = e;
                validated = endEpoch(e, nanos);
                if (stopper != null && stopper.stopped()) {
                    log.println(String.format(Locale.ROOT, "early stopping after epoch %d: validation %s has not improved for %d epochs"
                                    + " (best %s at epoch %d)", e, config.monitor().label(), stopper.waited(),
                            config.monitor().format(stopper.bestValue()), stopper.bestEpoch()));
                    break;
                }
            }
        } catch (TrainingDivergedException e) {
            drawCurves();
            throw e;
        } finally {
            batches.finish();
        }
        if (stopper != null && stopper.restoreBest()) {
            validated = evaluate(validation);
            log.println(String.format(Locale.ROOT, "restored the best weights: epoch %d, validation %s",
                    stopper.bestEpoch(), Progress.figures(validated.figures(), perCharacter)));
        } else if (!trained) {
            validated = evaluate(validation);
        }

        Evaluation tested = new Evaluation(Map.of(), 0);
        if (config.test() && test != null) {
            tested = evaluate(test);
            log.println("test  " + Progress.figures(tested.figures(), perCharacter)
                    + String.format(Locale.ROOT, "  (%,d %s)", tested.samples(), batches.unit()));
        }
        if (lastSavedEpoch > 0) {
            log.println("saved " + config.save() + " (epoch " + lastSavedEpoch + (stopper != null && stopper.bestEpoch() > 0
                    ? ", and the best weights, of epoch " + stopper.bestEpoch() + ", under best/)" : ")"));
        }
        drawCurves();
        log.flush();
        double rate = trainNanos == 0 ? Double.NaN : trainedUnits / (trainNanos / 1e9);
        return new TrainResult(lastEpoch, trained ? running.means() : Map.of(), validated.figures(), tested.figures(), rate,
                (System.nanoTime() - started) / 1e9, stopper == null ? 0 : stopper.bestEpoch(), stopper != null && stopper.stopped());
    }

    void resume(Checkpoint.Restored resumed) throws IOException {
        TrainingState state = resumed.state();
        Map<String, String> meta = resumed.metadata();
        seed = state.seed();
        firstEpoch = state.epoch() + 1;
        steps = state.step();
        String source = config.resume() == null ? "the checkpoint" : config.resume().toString();
        try {
            for (int k = 0; k < base.length; k++) {
                String key = models.prefix(k) + Trainer.BASE_LR;
                if (meta.containsKey(key)) base[k] = Double.parseDouble(meta.get(key));
            }
            if (schedule != null && schedule.describe().equals(meta.get(Trainer.SCHEDULE))) schedule.loadState(withoutPrefix(meta, Trainer.SCHEDULE_PREFIX));
            history = TrainingHistory.parseCsv(meta.get(Trainer.HISTORY), state.epoch());
            if (stopper != null) stopper.restore(meta, resumed.bestWeights());
            if (meta.containsKey(Trainer.EPOCH_POSITION)) {
                resumePosition = Integer.parseInt(meta.get(Trainer.EPOCH_POSITION));
                resumeBatches = Integer.parseInt(meta.get(Trainer.EPOCH_BATCHES));
                resumeNanos = Long.parseLong(meta.get(Trainer.EPOCH_NANOS));
                running.restore(meta.get(Trainer.EPOCH_FIGURES));
                if (resumePosition < 0 || resumePosition > batches.positions()) {
                    throw new IllegalArgumentException("it stood at " + batches.describe(resumePosition) + " of an epoch");
                }
                resumeCarried = resumed.carried();
            } else if (!resumed.carried().isEmpty()) {
                throw new IllegalArgumentException("it holds carried recurrent state but no position within an epoch");
            }
        } catch (RuntimeException e) { // NumberFormatException, NullPointerException, IllegalArgumentException
            throw new IOException(source + ": cannot resume the training state it holds: " + e.getMessage(), e);
        }
        String within = resumePosition < 0 ? "" : " and " + batches.describe(resumePosition) + " of epoch " + firstEpoch;
        log.println(String.format(Locale.ROOT, "resumed%s after epoch %d%s, step %,d; lr %s",
                config.resume() == null ? "" : " from " + config.resume(), state.epoch(), within, steps, models.optimizer(0).learningRate()));
        if (stopper != null && stopper.stopped()) {
            log.println("nothing to train: early stopping ended this run at epoch " + state.epoch()
                    + " (best: epoch " + stopper.bestEpoch() + ")");
            firstEpoch = config.epochs() + 1;
        } else if (firstEpoch > config.epochs()) {
            log.println("nothing to train: the checkpoint already holds epoch " + state.epoch() + " of " + config.epochs());
        }
    }

    /** Trains epoch {@code e} (1-based); returns its training time in nanoseconds, earlier sessions' share included. */
    private long trainEpoch(int e) throws IOException, TrainingDivergedException {
        boolean continuing = e == firstEpoch && resumePosition >= 0;
        if (!continuing) running.reset();
        epoch = e;
        batchIndex = 0;
        batches.startEpoch(seed, e);
        long priorNanos = 0;
        if (continuing) {
            try {
                batches.seek(resumePosition);
                batches.restoreCarriedState(resumeCarried);
            } catch (IllegalArgumentException ex) {
                throw new IOException((config.resume() == null ? "the checkpoint" : config.resume().toString())
                        + ": cannot resume the training state it holds: " + ex.getMessage(), ex);
            }
            batchIndex = resumeBatches;
            priorNanos = resumeNanos;
        }
        long startDone = batches.done();
        int stepsPerEpoch = batches.batchesPerEpoch();
        progress.startEpoch(e, config.epochs(), batches.total(), startDone, batches.unit());
        long epochStart = System.nanoTime();
        while (batches.next(batch)) {
            steps++;
            for (int k = 0; k < models.size(); k++) models.model(k).seedRandom(stepSeed(seed, steps) + k);
            if (schedule != null) setRates(schedule.rate(base[0], e - 1, batchIndex, stepsPerEpoch));
            batchIndex++;
            context.begin(steps, e, batches.lastUnits(), contextSeed(seed, steps));
            step.run(batch, context);
            progress.update(batches.done(), running);
            if (config.saveEvery() > 0 && config.save() != null && steps % config.saveEvery() == 0 && batchIndex < stepsPerEpoch) {
                saveWithinEpoch(e, priorNanos + System.nanoTime() - epochStart);
            }
        }
        long nanos = System.nanoTime() - epochStart;
        trainNanos += nanos;
        trainedUnits += batches.total() - startDone;
        epochRate = (batches.total() - startDone) / Math.max(nanos / 1e9, 1e-9);
        resumePosition = -1;
        return priorNanos + nanos;
    }

    /** Sets every optimizer's rate: {@code rate} for the first model's, the others' scaled alike from their own base rates. */
    private void setRates(double rate) {
        models.optimizer(0).setLearningRate(rate);
        for (int k = 1; k < base.length; k++) models.optimizer(k).setLearningRate(base[0] > 0 ? rate * (base[k] / base[0]) : rate);
    }

    /** Validation, schedule, early stopping, log line, checkpoint and metrics log after epoch {@code e}. */
    private Evaluation endEpoch(int e, long nanos) throws IOException {
        Evaluation validated = evaluate(validation);
        double rate = models.optimizer(0).learningRate();
        Map<String, Double> train = running.means();
        history.add(new EpochRecord(e, steps, rate, train, validated.figures(), nanos / 1e9));
        Monitor monitor = config.monitor();
        if ((stopper != null || (schedule != null && schedule.watchesMetric())) && !validated.figures().containsKey(monitor.figure())) {
            throw new IllegalArgumentException("cannot monitor validation " + monitor.figure() + ": the run's validation reports "
                    + (validated.figures().isEmpty() ? "nothing" : String.join(", ", validated.figures().keySet())));
        }
        double metric = monitor.of(validated);
        StringBuilder note = new StringBuilder();
        if (schedule != null) {
            note.append("  lr ").append(rateText(rate));
            if (schedule.endEpoch(metric, rate)) {
                double next = schedule.rate(base[0], e, 0, batches.batchesPerEpoch());
                setRates(next);
                note.append(" -> ").append(rateText(next));
            }
        }
        if (stopper != null) {
            note.append(stopper.update(e, metric) ? "  best"
                    : "  no improvement " + stopper.waited() + "/" + stopper.rule().patience());
        }
        progress.endEpoch(running, Progress.figures(train, false), validated.figures().isEmpty() ? "" : Progress.figures(validated.figures(),
                perCharacter), nanos / 1e9, epochRate, note.toString());
        if (config.save() != null) {
            Checkpoint.save(config.save(), models.list, new TrainingState(e, steps, seed), metadata(null),
                    stopper == null ? Map.of() : stopper.bestWeights(), Map.of());
            lastSaved = config.save() + " still holds epoch " + e;
            lastSavedEpoch = e;
        }
        Path logFile = config.quiet() && config.log() == null ? null : config.logFile();
        if (logFile != null) MetricsLog.write(logFile, history);
        return validated;
    }

    /** Scores held-out data; every model is back in training mode after, whatever the evaluator did. */
    private Evaluation evaluate(Supplier<Evaluation> held) {
        try {
            return held.get();
        } finally {
            for (int k = 0; k < models.size(); k++) models.model(k).setTraining(true);
        }
    }

    private void saveWithinEpoch(int e, long nanos) throws IOException {
        Map<String, String> within = new LinkedHashMap<>();
        within.put(Trainer.EPOCH_POSITION, Integer.toString(batches.position()));
        within.put(Trainer.EPOCH_BATCHES, Integer.toString(batchIndex));
        within.put(Trainer.EPOCH_FIGURES, running.export());
        within.put(Trainer.EPOCH_NANOS, Long.toString(nanos));
        Checkpoint.save(config.save(), models.list, new TrainingState(e - 1, steps, seed), metadata(within),
                stopper == null ? Map.of() : stopper.bestWeights(), batches.carriedState());
        lastSaved = String.format(Locale.ROOT, "%s still holds step %,d (batch %d of epoch %d)", config.save(), steps, batchIndex, e);
    }

    /** The trainer's checkpoint metadata, plus {@code within} for a mid-epoch save. */
    private Map<String, String> metadata(Map<String, String> within) {
        Map<String, String> meta = new LinkedHashMap<>(config.metadata());
        for (int k = 0; k < base.length; k++) meta.put(models.prefix(k) + Trainer.BASE_LR, Double.toString(base[k]));
        meta.put(Trainer.MONITOR, config.monitor().label());
        if (schedule != null) {
            meta.put(Trainer.SCHEDULE, schedule.describe());
            schedule.state().forEach((k, v) -> meta.put(Trainer.SCHEDULE_PREFIX + k, v));
        }
        if (stopper != null) stopper.exportState(meta);
        meta.put(Trainer.HISTORY, history.toCsv());
        if (within != null) meta.putAll(within);
        return meta;
    }

    /** The one-line message of a run that broke at the current batch. */
    private TrainingDivergedException diverged(String what, String where, String advice) {
        progress.interrupt();
        String kept = lastSaved != null ? lastSaved
                : config.resume() != null ? config.resume() + " is unchanged" : "no checkpoint was saved";
        return new TrainingDivergedException(String.format(Locale.ROOT, "%s at epoch %d, step %,d (batch %d of %d)%s; training stopped; %s; %s",
                what, epoch, steps, batchIndex, batches.batchesPerEpoch(), where, kept, advice));
    }

    /** The learning curves, when there is a place for them; a failure to draw is a note, not an error. */
    private void drawCurves() {
        Path png = config.quiet() && config.plot() == null ? null : config.plotFile();
        if (png == null || history.isEmpty()) return;
        try {
            CurvePlot.write(png, models.prefixed ? models.toString() : models.model(0).name(), history);
            log.println("curves: " + png);
        } catch (IOException | RuntimeException | LinkageError e) { // LinkageError: JFreeChart missing from the class path
            log.println("note: could not draw the learning curves into " + png + ": " + e);
        }
    }

    private static String rateText(double rate) {
        return String.format(Locale.ROOT, "%.4g", rate);
    }

    private static Map<String, String> withoutPrefix(Map<String, String> meta, String prefix) {
        Map<String, String> out = new LinkedHashMap<>();
        meta.forEach((k, v) -> {
            if (k.startsWith(prefix)) out.put(k.substring(prefix.length()), v);
        });
        return out;
    }

    /** Model {@code k}'s random stream (dropout, noise) restarts from this before step {@code step} (1-based). */
    static long stepSeed(long seed, long step) {
        long z = seed * 0xBF58476D1CE4E5B9L + step * 0x9E3779B97F4A7C15L;
        return z ^ (z >>> 31);
    }

    /** The step's own random source ({@link StepContext#gaussian}) starts here: apart from every model's stream. */
    static long contextSeed(long seed, long step) {
        return stepSeed(seed, step) * 0xD1342543DE82EF95L + 0x2545F4914F6CDD1DL;
    }
}
