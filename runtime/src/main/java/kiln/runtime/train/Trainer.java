package kiln.runtime.train;

import java.io.IOException;
import java.io.PrintStream;
import java.util.Locale;
import kiln.runtime.Batch;
import kiln.runtime.CompiledModel;
import kiln.runtime.data.BatchIterator;
import kiln.runtime.data.DataException;
import kiln.runtime.data.Splits;
import kiln.runtime.optim.Optimizer;

/**
 * The training loop: mini-batch steps over shuffled training data, a validation pass and an
 * optional checkpoint after every epoch, and a test pass at the end.
 *
 * <p>A step is {@code forward; lossAndGrad; backward; optimizer.step} and allocates nothing: the
 * batch, the permutation and the metrics are set up once per run, and the progress line formats
 * text only when it prints. Training accuracy is measured with an extra {@code predict} on every
 * {@value #ACCURACY_EVERY}th batch, before that batch's update; measuring every batch would cost
 * about a third more time, since the model contract has no way to read the training forward pass's
 * output.
 */
public final class Trainer {
    /** Training accuracy is sampled on one batch in this many. */
    static final int ACCURACY_EVERY = 4;

    /**
     * Trains {@code model} with {@code optimizer} as {@code config} says, writing the log to
     * {@code out}. The caller initialises the parameters (or passes {@code config.resume()}); a
     * resumed run keeps the checkpoint's seed so that it shuffles as the uninterrupted run would.
     *
     * @throws DataException if a split does not fit the model
     * @throws IOException if the resume checkpoint cannot be loaded or a checkpoint cannot be saved
     * @throws TrainingDivergedException if the loss becomes NaN or infinite; the last saved checkpoint is kept
     */
    public TrainResult fit(CompiledModel model, Optimizer optimizer, Splits data, TrainConfig config, PrintStream out)
            throws DataException, IOException, TrainingDivergedException {
        TrainingState resumed = config.resume() == null ? null : Checkpoint.load(config.resume(), model, optimizer);
        return fit(model, optimizer, data, config, resumed, out);
    }

    /**
     * Like {@link #fit(CompiledModel, Optimizer, Splits, TrainConfig, PrintStream)}, but the caller
     * has already restored the model and optimizer from a checkpoint holding {@code resumed} (null
     * for a fresh start); lets a caller adjust the optimizer in between, e.g. a new learning rate.
     */
    public TrainResult fit(CompiledModel model, Optimizer optimizer, Splits data, TrainConfig config, TrainingState resumed,
            PrintStream out) throws DataException, IOException, TrainingDivergedException {
        long started = System.nanoTime();
        data.train().checkFits(model);
        data.validation().checkFits(model);
        data.test().checkFits(model);
        if (config.batch() > model.maxBatch()) {
            throw new IllegalArgumentException("batch " + config.batch() + " exceeds the model's maxBatch " + model.maxBatch());
        }

        long seed = config.seed();
        int firstEpoch = 1;
        long step = 0;
        if (resumed != null) {
            seed = resumed.seed();
            firstEpoch = resumed.epoch() + 1;
            step = resumed.step();
            out.println(String.format(Locale.ROOT, "resumed%s after epoch %d, step %,d; lr %s",
                    config.resume() == null ? "" : " from " + config.resume(), resumed.epoch(), step, optimizer.learningRate()));
            if (firstEpoch > config.epochs()) {
                out.println("nothing to train: the checkpoint already holds epoch " + resumed.epoch() + " of " + config.epochs());
            }
        }

        Batch batch = new Batch(config.batch(), model.inputSize(), model.targetSize());
        BatchIterator batches = new BatchIterator(data.train(), config.batch());
        Metrics running = new Metrics();
        Progress progress = Progress.to(out);
        Evaluation validation = new Evaluation(Double.NaN, Double.NaN, 0);
        int lastSaved = -1;
        long trainedSamples = 0, trainNanos = 0;
        int epoch = firstEpoch - 1;

        for (int e = firstEpoch; e <= config.epochs(); e++) {
            running.reset();
            batches.startEpoch(epochSeed(seed, e));
            progress.startEpoch(e, config.epochs(), data.train().size());
            long epochStart = System.nanoTime();
            int batchIndex = 0;
            while (batches.next(batch)) {
                int n = batch.size;
                step++;
                if (batchIndex++ % ACCURACY_EVERY == 0) {
                    running.addPredictions(model.targetKind(), model.predict(batch.x, n), model.outputSize(), batch);
                }
                model.forward(batch.x, n);
                float loss = model.lossAndGrad(batch);
                if (!Float.isFinite(loss)) {
                    progress.interrupt();
                    throw diverged(loss, e, step, batchIndex, batches.batchesPerEpoch(), config, lastSaved);
                }
                model.backward(batch.x, n);
                optimizer.step();
                running.addLoss(loss, n);
                progress.update(batches.position(), running.meanLoss(), running.accuracy());
            }
            long nanos = System.nanoTime() - epochStart;
            trainNanos += nanos;
            trainedSamples += data.train().size();
            epoch = e;

            validation = Metrics.evaluate(model, data.validation(), batch);
            progress.endEpoch(running.meanLoss(), running.accuracy(), validation, nanos / 1e9, data.train().size() / (nanos / 1e9));
            if (config.save() != null) {
                Checkpoint.save(config.save(), model, optimizer, new TrainingState(e, step, seed));
                lastSaved = e;
            }
        }
        if (firstEpoch > config.epochs()) validation = Metrics.evaluate(model, data.validation(), batch);

        Evaluation test = Metrics.evaluate(model, data.test(), batch);
        out.println("test  " + Progress.figures(test.loss(), test.accuracy()) + String.format(Locale.ROOT, "  (%,d samples)", test.samples()));
        if (lastSaved > 0) out.println("saved " + config.save() + " (epoch " + lastSaved + ")");
        out.flush();
        double samplesPerSecond = trainNanos == 0 ? Double.NaN : trainedSamples / (trainNanos / 1e9);
        boolean trained = firstEpoch <= config.epochs();
        return new TrainResult(epoch,
                trained ? running.meanLoss() : Double.NaN, trained ? running.accuracy() : Double.NaN,
                validation.loss(), validation.accuracy(), test.loss(), test.accuracy(),
                samplesPerSecond, (System.nanoTime() - started) / 1e9);
    }

    /** Each epoch's shuffle depends on (seed, epoch) only, so resuming at any epoch repeats it. */
    static long epochSeed(long seed, int epoch) {
        return seed * 0x9E3779B97F4A7C15L + epoch;
    }

    private static TrainingDivergedException diverged(
            float loss, int epoch, long step, int batchIndex, int batchesPerEpoch, TrainConfig config, int lastSaved) {
        String kept = lastSaved > 0
                ? config.save() + " still holds epoch " + lastSaved
                : config.resume() != null ? config.resume() + " is unchanged" : "no checkpoint was saved";
        return new TrainingDivergedException(String.format(Locale.ROOT,
                "loss became %s at epoch %d, step %,d (batch %d of %d); training stopped; %s; try a lower learning rate",
                loss, epoch, step, batchIndex, batchesPerEpoch, kept));
    }
}
