package kiln.runtime.train;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import kiln.runtime.Batch;
import kiln.runtime.CompiledModel;
import kiln.runtime.Param;
import kiln.runtime.TargetKind;
import kiln.runtime.data.BatchIterator;
import kiln.runtime.data.DataException;
import kiln.runtime.data.Splits;
import kiln.runtime.optim.Gradients;
import kiln.runtime.optim.LearningRateSchedule;
import kiln.runtime.optim.Optimizer;

/**
 * The training loop: mini-batch steps over shuffled training data, a validation pass and an
 * optional checkpoint after every epoch, and a test pass at the end. Optionally: a learning-rate
 * schedule, gradient clipping, early stopping with the best weights restored at the end,
 * checkpoints every N steps, a metrics log and a PNG of the learning curves.
 *
 * <p>A step is {@code forward; lossAndGrad; backward; [clip]; optimizer.step} and allocates nothing:
 * the batch, the permutation and the metrics are set up once per run, the schedule is arithmetic,
 * and the progress line formats text only when it prints. Before the update, the loss and every
 * gradient are checked to be finite (one vectorised pass over the gradients); a NaN or infinity
 * stops training with a message naming the step and the first parameter affected, and the last
 * checkpoint stays as it was. Training accuracy is read from each batch's own forward pass
 * ({@link CompiledModel#lastPredictions}), before that batch's update.
 *
 * <p>Resuming is exact: the shuffle of an epoch depends on (seed, epoch) only, the model's random
 * stream (dropout) is reseeded from (seed, step) before every step, time-based schedules are
 * functions of the position, and everything else that evolves (optimizer state, plateau schedule,
 * early stopping and its best weights, the history, the running figures of a part-trained epoch)
 * is saved in the checkpoint. With one thread a resumed run is bit-identical to an uninterrupted one.
 */
public final class Trainer {
    // The trainer's own checkpoint metadata.
    /** The run's configured learning rate, which schedules scale; replace it in a {@link Checkpoint.Restored} to change it on resume. */
    public static final String BASE_LR = "base_learning_rate";
    static final String MONITOR = "monitor";
    static final String SCHEDULE = "schedule";
    static final String SCHEDULE_PREFIX = "schedule.";
    static final String HISTORY = "history";
    static final String EPOCH_POSITION = "epoch_position";
    static final String EPOCH_BATCHES = "epoch_batches";
    static final String EPOCH_SUMS = "epoch_sums";
    static final String EPOCH_NANOS = "epoch_nanos";

    /**
     * Trains {@code model} with {@code optimizer} as {@code config} says, writing the log to
     * {@code out}. The caller initialises the parameters (or passes {@code config.resume()}); a
     * resumed run keeps the checkpoint's seed so that it shuffles as the uninterrupted run would.
     *
     * @throws DataException if a split does not fit the model
     * @throws IOException if the resume checkpoint cannot be loaded or a checkpoint cannot be saved
     * @throws TrainingDivergedException if the loss or a gradient becomes NaN or infinite; the last saved checkpoint is kept
     */
    public TrainResult fit(CompiledModel model, Optimizer optimizer, Splits data, TrainConfig config, PrintStream out)
            throws DataException, IOException, TrainingDivergedException {
        Checkpoint.Restored resumed = config.resume() == null ? null : Checkpoint.restore(config.resume(), model, optimizer);
        return fit(model, optimizer, data, config, resumed, out);
    }

    /**
     * Like {@link #fit(CompiledModel, Optimizer, Splits, TrainConfig, PrintStream)}, but the caller
     * has already restored the model and optimizer from a checkpoint holding {@code resumed} (null
     * for a fresh start); lets a caller adjust the optimizer in between, e.g. a new learning rate.
     */
    public TrainResult fit(CompiledModel model, Optimizer optimizer, Splits data, TrainConfig config, TrainingState resumed,
            PrintStream out) throws DataException, IOException, TrainingDivergedException {
        return fit(model, optimizer, data, config, resumed == null ? null : new Checkpoint.Restored(resumed, Map.of(), Map.of()), out);
    }

    /**
     * Like the above, resuming from everything {@link Checkpoint#restore} read back: besides where
     * training stood, the schedule and early-stopping state, the history, and the position within a
     * part-trained epoch.
     */
    public TrainResult fit(CompiledModel model, Optimizer optimizer, Splits data, TrainConfig config, Checkpoint.Restored resumed,
            PrintStream out) throws DataException, IOException, TrainingDivergedException {
        long started = System.nanoTime();
        data.train().checkFits(model);
        data.validation().checkFits(model);
        data.test().checkFits(model);
        if (config.batch() > model.maxBatch()) {
            throw new IllegalArgumentException("batch " + config.batch() + " exceeds the model's maxBatch " + model.maxBatch());
        }
        if (config.monitor() == Monitor.ACCURACY && model.targetKind() == TargetKind.REGRESSION) {
            throw new IllegalArgumentException("cannot monitor validation accuracy: " + model.name()
                    + " is a regression model, which has none; monitor its loss");
        }
        optimizer.useWorkers(model.workerPool());
        Run run = new Run(model, optimizer, data, config, config.quiet() ? new PrintStream(OutputStream.nullOutputStream()) : out);
        if (resumed != null) run.resume(resumed);
        return run.train(started);
    }

    /** Each epoch's shuffle depends on (seed, epoch) only, so resuming at any epoch repeats it. */
    static long epochSeed(long seed, int epoch) {
        return seed * 0x9E3779B97F4A7C15L + epoch;
    }

    /** The model's random stream (dropout) restarts from this before step {@code step} (1-based). */
    static long stepSeed(long seed, long step) {
        long z = seed * 0xBF58476D1CE4E5B9L + step * 0x9E3779B97F4A7C15L;
        return z ^ (z >>> 31);
    }

    /** One call of fit: the loop and everything that evolves over it. */
    private static final class Run {
        private final CompiledModel model;
        private final Optimizer optimizer;
        private final Splits data;
        private final TrainConfig config;
        private final PrintStream log;
        private final Param[] params;
        private final LearningRateSchedule schedule;
        private final EarlyStopper stopper;
        private final Batch batch;
        private final BatchIterator batches;
        private final Metrics running = new Metrics();
        private final Progress progress;
        private TrainingHistory history = new TrainingHistory();
        private double base;
        private long seed;
        private long step;
        private int firstEpoch = 1;
        // Where a mid-epoch checkpoint stood in its epoch; 0 when resuming at an epoch's start.
        private int resumePosition, resumeBatches;
        private long resumeNanos;
        /** What the last checkpoint this run wrote holds, e.g. "run.safetensors still holds epoch 3"; null before one. */
        private String lastSaved;
        private int lastSavedEpoch = -1;
        private long trainedSamples, trainNanos;
        /** Samples per second of the last epoch's training steps in this session. */
        private double epochRate;

        Run(CompiledModel model, Optimizer optimizer, Splits data, TrainConfig config, PrintStream log) {
            this.model = model;
            this.optimizer = optimizer;
            this.data = data;
            this.config = config;
            this.log = log;
            this.params = model.params().toArray(new Param[0]);
            this.schedule = config.schedule();
            java.util.List<Param> weights = new java.util.ArrayList<>(model.params());
            weights.addAll(model.buffers());
            this.stopper = config.earlyStopping() == null ? null : new EarlyStopper(config.earlyStopping(), config.monitor(), weights);
            this.batch = Batch.forModel(model, config.batch());
            this.batches = new BatchIterator(data.train(), config.batch());
            this.progress = Progress.to(log);
            this.base = optimizer.learningRate();
            this.seed = config.seed();
        }

        void resume(Checkpoint.Restored resumed) throws IOException {
            TrainingState state = resumed.state();
            Map<String, String> meta = resumed.metadata();
            seed = state.seed();
            firstEpoch = state.epoch() + 1;
            step = state.step();
            String source = config.resume() == null ? "the checkpoint" : config.resume().toString();
            try {
                if (meta.containsKey(BASE_LR)) base = Double.parseDouble(meta.get(BASE_LR));
                if (schedule != null && schedule.describe().equals(meta.get(SCHEDULE))) schedule.loadState(withoutPrefix(meta, SCHEDULE_PREFIX));
                history = TrainingHistory.parseCsv(meta.get(HISTORY), state.epoch());
                if (stopper != null) stopper.restore(meta, resumed.bestWeights());
                if (meta.containsKey(EPOCH_POSITION)) {
                    resumePosition = Integer.parseInt(meta.get(EPOCH_POSITION));
                    resumeBatches = Integer.parseInt(meta.get(EPOCH_BATCHES));
                    resumeNanos = Long.parseLong(meta.get(EPOCH_NANOS));
                    String[] sums = meta.get(EPOCH_SUMS).split(",");
                    double[] values = new double[sums.length];
                    for (int i = 0; i < sums.length; i++) values[i] = Double.parseDouble(sums[i]);
                    running.restoreSums(values);
                    if (resumePosition > data.train().size()) {
                        throw new IllegalArgumentException("it stood at sample " + resumePosition + " of an epoch, but the training split has "
                                + data.train().size());
                    }
                }
            } catch (RuntimeException e) { // NumberFormatException, NullPointerException, IllegalArgumentException
                throw new IOException(source + ": cannot resume the training state it holds: " + e.getMessage(), e);
            }
            String within = resumePosition == 0 ? ""
                    : String.format(Locale.ROOT, " and %,d of %,d samples of epoch %d", resumePosition, data.train().size(), firstEpoch);
            log.println(String.format(Locale.ROOT, "resumed%s after epoch %d%s, step %,d; lr %s",
                    config.resume() == null ? "" : " from " + config.resume(), state.epoch(), within, step, optimizer.learningRate()));
            if (stopper != null && stopper.stopped()) {
                log.println("nothing to train: early stopping ended this run at epoch " + state.epoch()
                        + " (best: epoch " + stopper.bestEpoch() + ")");
                firstEpoch = config.epochs() + 1;
            } else if (firstEpoch > config.epochs()) {
                log.println("nothing to train: the checkpoint already holds epoch " + state.epoch() + " of " + config.epochs());
            }
        }

        TrainResult train(long started) throws DataException, IOException, TrainingDivergedException {
            model.setTraining(true); // dropout and batch statistics; evaluation switches to inference and back
            Evaluation validation = new Evaluation(Double.NaN, Double.NaN, 0);
            int epoch = firstEpoch - 1;
            boolean trained = false;
            try {
                for (int e = firstEpoch; e <= config.epochs(); e++) {
                    long nanos = trainEpoch(e);
                    trained = true;
                    epoch = e;
                    validation = endEpoch(e, nanos);
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
            }
            if (stopper != null && stopper.restoreBest()) {
                validation = Metrics.evaluate(model, data.validation(), batch);
                log.println(String.format(Locale.ROOT, "restored the best weights: epoch %d, validation %s",
                        stopper.bestEpoch(), Progress.figures(validation.loss(), validation.accuracy())));
            } else if (!trained) {
                validation = Metrics.evaluate(model, data.validation(), batch);
            }

            Evaluation test = new Evaluation(Double.NaN, Double.NaN, 0);
            if (config.test()) {
                test = Metrics.evaluate(model, data.test(), batch);
                log.println("test  " + Progress.figures(test.loss(), test.accuracy())
                        + String.format(Locale.ROOT, "  (%,d samples)", test.samples()));
            }
            if (lastSavedEpoch > 0) {
                log.println("saved " + config.save() + " (epoch " + lastSavedEpoch + (stopper != null && stopper.bestEpoch() > 0
                        ? ", and the best weights, of epoch " + stopper.bestEpoch() + ", under best/)" : ")"));
            }
            drawCurves();
            log.flush();
            double samplesPerSecond = trainNanos == 0 ? Double.NaN : trainedSamples / (trainNanos / 1e9);
            return new TrainResult(epoch,
                    trained ? running.meanLoss() : Double.NaN, trained ? running.accuracy() : Double.NaN,
                    validation.loss(), validation.accuracy(), test.loss(), test.accuracy(),
                    samplesPerSecond, (System.nanoTime() - started) / 1e9,
                    stopper == null ? 0 : stopper.bestEpoch(), stopper != null && stopper.stopped());
        }

        /** Trains epoch {@code e} (1-based); returns its training time in nanoseconds, earlier sessions' share included. */
        private long trainEpoch(int e) throws IOException, TrainingDivergedException {
            boolean continuing = e == firstEpoch && resumePosition > 0;
            if (!continuing) running.reset();
            batches.startEpoch(epochSeed(seed, e));
            int batchIndex = 0;
            long priorNanos = 0;
            if (continuing) {
                batches.seek(resumePosition);
                batchIndex = resumeBatches;
                priorNanos = resumeNanos;
            }
            int startPosition = batches.position();
            int samples = data.train().size();
            int stepsPerEpoch = batches.batchesPerEpoch();
            progress.startEpoch(e, config.epochs(), samples, startPosition);
            long epochStart = System.nanoTime();
            while (batches.next(batch)) {
                int n = batch.size;
                step++;
                model.seedRandom(stepSeed(seed, step));
                if (schedule != null) optimizer.setLearningRate(schedule.rate(base, e - 1, batchIndex, stepsPerEpoch));
                model.forward(batch);
                batchIndex++;
                running.addPredictions(model.targetKind(), model.lastPredictions(n), model.outputSize(), batch);
                float loss = model.lossAndGrad(batch);
                if (!Float.isFinite(loss)) {
                    progress.interrupt();
                    int bad = Gradients.firstNonFiniteValue(params);
                    String where = bad < 0 ? "" : ", parameter " + params[bad].name + " holding " + Gradients.firstNonFinite(params[bad].value);
                    throw diverged("loss became " + loss, where, e, batchIndex, stepsPerEpoch);
                }
                model.backward();
                int bad = Gradients.firstNonFiniteGradient(params);
                if (bad >= 0) {
                    progress.interrupt();
                    throw diverged("gradient of " + params[bad].name + " became " + Gradients.firstNonFinite(params[bad].grad),
                            "", e, batchIndex, stepsPerEpoch);
                }
                if (config.clipNorm() > 0) Gradients.clipByGlobalNorm(params, config.clipNorm());
                if (config.clipValue() > 0) Gradients.clipByValue(params, config.clipValue());
                optimizer.step();
                running.addLoss(loss, n);
                progress.update(batches.position(), running.meanLoss(), running.accuracy());
                if (config.saveEvery() > 0 && config.save() != null && step % config.saveEvery() == 0 && batches.position() < samples) {
                    saveWithinEpoch(e, batchIndex, priorNanos + System.nanoTime() - epochStart);
                }
            }
            long nanos = System.nanoTime() - epochStart;
            trainNanos += nanos;
            trainedSamples += samples - startPosition;
            epochRate = (samples - startPosition) / Math.max(nanos / 1e9, 1e-9);
            resumePosition = 0;
            return priorNanos + nanos;
        }

        /** Validation, schedule, early stopping, log line, checkpoint and metrics log after epoch {@code e}. */
        private Evaluation endEpoch(int e, long nanos) throws IOException {
            Evaluation validation = Metrics.evaluate(model, data.validation(), batch);
            double rate = optimizer.learningRate();
            history.add(new EpochRecord(e, step, rate, running.meanLoss(), running.accuracy(), validation.loss(),
                    validation.accuracy(), nanos / 1e9));
            double metric = config.monitor().of(validation);
            StringBuilder note = new StringBuilder();
            if (schedule != null) {
                note.append("  lr ").append(rateText(rate));
                if (schedule.endEpoch(metric, rate)) {
                    double next = schedule.rate(base, e, 0, batches.batchesPerEpoch());
                    optimizer.setLearningRate(next);
                    note.append(" -> ").append(rateText(next));
                }
            }
            if (stopper != null) {
                note.append(stopper.update(e, metric) ? "  best"
                        : "  no improvement " + stopper.waited() + "/" + stopper.rule().patience());
            }
            progress.endEpoch(running.meanLoss(), running.accuracy(), validation, nanos / 1e9, epochRate, note.toString());
            if (config.save() != null) {
                Checkpoint.save(config.save(), model, optimizer, new TrainingState(e, step, seed), metadata(null),
                        stopper == null ? Map.of() : stopper.bestWeights());
                lastSaved = config.save() + " still holds epoch " + e;
                lastSavedEpoch = e;
            }
            Path logFile = config.quiet() && config.log() == null ? null : config.logFile();
            if (logFile != null) MetricsLog.write(logFile, history);
            return validation;
        }

        private void saveWithinEpoch(int e, int batchIndex, long nanos) throws IOException {
            Map<String, String> within = new LinkedHashMap<>();
            within.put(EPOCH_POSITION, Integer.toString(batches.position()));
            within.put(EPOCH_BATCHES, Integer.toString(batchIndex));
            double[] sums = running.sums();
            within.put(EPOCH_SUMS, sums[0] + "," + sums[1] + "," + sums[2] + "," + sums[3]);
            within.put(EPOCH_NANOS, Long.toString(nanos));
            Checkpoint.save(config.save(), model, optimizer, new TrainingState(e - 1, step, seed), metadata(within),
                    stopper == null ? Map.of() : stopper.bestWeights());
            lastSaved = String.format(Locale.ROOT, "%s still holds step %,d (batch %d of epoch %d)", config.save(), step, batchIndex, e);
        }

        /** The trainer's checkpoint metadata, plus {@code within} for a mid-epoch save. */
        private Map<String, String> metadata(Map<String, String> within) {
            Map<String, String> meta = new LinkedHashMap<>(config.metadata());
            meta.put(BASE_LR, Double.toString(base));
            meta.put(MONITOR, config.monitor().label());
            if (schedule != null) {
                meta.put(SCHEDULE, schedule.describe());
                schedule.state().forEach((k, v) -> meta.put(SCHEDULE_PREFIX + k, v));
            }
            if (stopper != null) stopper.exportState(meta);
            meta.put(HISTORY, history.toCsv());
            if (within != null) meta.putAll(within);
            return meta;
        }

        private TrainingDivergedException diverged(String what, String where, int epoch, int batchIndex, int batchesPerEpoch) {
            String kept = lastSaved != null ? lastSaved
                    : config.resume() != null ? config.resume() + " is unchanged" : "no checkpoint was saved";
            String advice = what.startsWith("gradient") ? "try a lower learning rate or gradient clipping" : "try a lower learning rate";
            return new TrainingDivergedException(String.format(Locale.ROOT, "%s at epoch %d, step %,d (batch %d of %d)%s; training stopped; %s; %s",
                    what, epoch, step, batchIndex, batchesPerEpoch, where, kept, advice));
        }

        /** The learning curves, when there is a place for them; a failure to draw is a note, not an error. */
        private void drawCurves() {
            Path png = config.quiet() && config.plot() == null ? null : config.plotFile();
            if (png == null || history.isEmpty()) return;
            try {
                CurvePlot.write(png, model.name(), history);
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
    }
}
