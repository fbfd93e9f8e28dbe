package kiln.runtime.train;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import kiln.runtime.Batch;
import kiln.runtime.CompiledModel;
import kiln.runtime.Param;
import kiln.runtime.SequenceModel;
import kiln.runtime.optim.Gradients;
import kiln.runtime.optim.Optimizer;
import kiln.runtime.text.CharCorpus;
import kiln.runtime.text.TokenStreams;
import kiln.runtime.text.Vocabulary;

/**
 * The training loop of a language model, by truncated backpropagation through time: the training
 * text is cut into {@code streams} contiguous streams (one per batch row, {@link TokenStreams}), and
 * each step trains on the next chunk of every stream, the model carrying its hidden state over from
 * the chunk before while the gradient stops at the chunk's start. Each epoch starts from a zero
 * state at a random offset (so chunk boundaries move), clips the gradients' global norm before
 * every update when asked, and ends with the mean cross-entropy per character on the validation
 * text, read the same way (in nats; bits = nats / ln 2).
 *
 * <p>{@code save}, when given, receives a checkpoint whenever the validation loss improves, with
 * the vocabulary in its metadata ({@value #VOCABULARY}), so it can be sampled from later. A step
 * ({@code forward; lossAndGrad; backward; clip; step}) allocates nothing.
 */
public final class SequenceTrainer {
    /** Checkpoint metadata key holding the vocabulary's symbols in id order. */
    public static final String VOCABULARY = "vocabulary";
    /** Checkpoint metadata key holding the validation loss (nats per token) of the saved weights. */
    public static final String VALIDATION_LOSS = "validation_loss";

    /**
     * @param streams batch rows: the training text is read as this many parallel streams
     * @param clipNorm the largest global gradient norm, PyTorch's {@code clip_grad_norm_} (0: no clipping)
     * @param save checkpoint of the best validation loss so far, or null
     * @param resume checkpoint to continue from, or null
     * @param resumeLearningRate the learning rate to go on with after {@code resume}, or NaN for the checkpoint's
     */
    public record Config(int epochs, int streams, long seed, double clipNorm, Path save, Path resume,
                         double resumeLearningRate) {
        public Config {
            if (epochs < 1) throw new IllegalArgumentException("epochs must be >= 1, got " + epochs);
            if (streams < 1) throw new IllegalArgumentException("streams must be >= 1, got " + streams);
            if (!(clipNorm >= 0) || Double.isInfinite(clipNorm)) {
                throw new IllegalArgumentException("clipNorm must be >= 0, got " + clipNorm);
            }
        }
    }

    /** Losses in nats per token; the best validation loss and its epoch; training speed and wall time. */
    public record Result(int epochs, double trainLoss, double validationLoss, double bestValidationLoss, int bestEpoch,
                         double tokensPerSecond, double seconds) {}

    /**
     * Trains {@code model} (a {@link SequenceModel} predicting a token at every step) on
     * {@code corpus}, writing one line per epoch, and a few while it runs, to {@code out}.
     *
     * @throws IOException if the resume checkpoint cannot be loaded or does not match, or a save fails
     * @throws TrainingDivergedException if the loss becomes NaN or infinite
     */
    public Result fit(CompiledModel model, Optimizer optimizer, CharCorpus corpus, Config config, PrintStream out)
            throws IOException, TrainingDivergedException {
        long started = System.nanoTime();
        optimizer.useWorkers(model.workerPool());
        SequenceModel sequence = languageModel(model);
        int steps = sequence.timeSteps();
        if (config.streams() > model.maxBatch()) {
            throw new IllegalArgumentException(config.streams() + " streams exceed the model's maxBatch " + model.maxBatch());
        }
        Batch batch = SequenceModel.batchFor(model, config.streams());
        TokenStreams train = new TokenStreams(corpus.train(), config.streams(), steps);
        TokenStreams validation = new TokenStreams(corpus.validation(), config.streams(), steps);
        Param[] params = model.params().toArray(new Param[0]);

        long seed = config.seed();
        int firstEpoch = 1;
        long step = 0;
        double best = Double.NaN;
        if (config.resume() != null) {
            Checkpoint.Restored restored = Checkpoint.restore(config.resume(), model, optimizer);
            checkVocabulary(config.resume(), restored.metadata(), corpus.vocabulary());
            seed = restored.state().seed();
            firstEpoch = restored.state().epoch() + 1;
            step = restored.state().step();
            best = Double.parseDouble(restored.metadata().getOrDefault(VALIDATION_LOSS, "NaN"));
            if (!Double.isNaN(config.resumeLearningRate())) optimizer.setLearningRate(config.resumeLearningRate());
            out.println(String.format(Locale.ROOT, "resumed from %s after epoch %d, step %,d; validation %.4f",
                    config.resume(), restored.state().epoch(), step, best));
        }

        int bestEpoch = 0, epoch = firstEpoch - 1;
        double trainLoss = Double.NaN, validationLoss = best;
        long trainedTokens = 0, trainNanos = 0;
        try {
            for (int e = firstEpoch; e <= config.epochs(); e++) {
                long epochStart = System.nanoTime();
                model.setTraining(true);
                sequence.setCarryState(true);
                sequence.resetState();
                train.start(offset(seed, e, steps));
                double lossSum = 0;
                long tokens = 0;
                int chunk = 0, chunks = train.chunks(), nextTenth = 1;
                for (int active; (active = train.next(batch)) > 0; ) {
                    sequence.setActiveSteps(active);
                    model.forward(batch.x, batch.size);
                    float loss = model.lossAndGrad(batch);
                    step++;
                    chunk++;
                    if (!Float.isFinite(loss)) {
                        throw new TrainingDivergedException(String.format(Locale.ROOT,
                                "loss became %s at epoch %d, step %,d (chunk %d of %d); training stopped; try a lower learning"
                                        + " rate or a smaller --clip-norm", loss, e, step, chunk, chunks));
                    }
                    model.backward(batch.x, batch.size);
                    if (config.clipNorm() > 0) Gradients.clipByGlobalNorm(params, config.clipNorm());
                    optimizer.step();
                    long n = (long) batch.size * active;
                    lossSum += (double) loss * n;
                    tokens += n;
                    if (chunk * 10L >= (long) nextTenth * chunks && nextTenth < 10) {
                        double seconds = (System.nanoTime() - epochStart) / 1e9;
                        out.println(String.format(Locale.ROOT, "  epoch %d  %3d%%  loss %.4f  %,.0f tokens/s", e,
                                nextTenth * 10, lossSum / tokens, tokens / seconds));
                        nextTenth = chunk * 10 / chunks + 1;
                    }
                }
                long nanos = System.nanoTime() - epochStart;
                trainNanos += nanos;
                trainedTokens += tokens;
                trainLoss = lossSum / tokens;
                validationLoss = evaluate(model, validation, batch);
                epoch = e;
                boolean improved = Double.isNaN(best) || validationLoss < best;
                if (improved) {
                    best = validationLoss;
                    bestEpoch = e;
                    if (config.save() != null) {
                        Checkpoint.save(config.save(), model, optimizer, new TrainingState(e, step, seed),
                                Map.of(VOCABULARY, corpus.vocabulary().symbols(), VALIDATION_LOSS, Double.toString(best)),
                                Map.of());
                    }
                }
                out.println(String.format(Locale.ROOT,
                        "epoch %d/%d  train %.4f  validation %.4f nats/char (%.3f bits)  %.1f s, %,.0f tokens/s  elapsed %.1f s%s",
                        e, config.epochs(), trainLoss, validationLoss, validationLoss / Math.log(2), nanos / 1e9,
                        tokens / (nanos / 1e9), (System.nanoTime() - started) / 1e9,
                        improved ? (config.save() != null ? "  saved" : "  best") : ""));
                out.flush();
            }
        } finally {
            sequence.setActiveSteps(steps);
            sequence.setCarryState(false);
            sequence.resetState();
        }
        return new Result(epoch, trainLoss, validationLoss, best, bestEpoch,
                trainNanos == 0 ? Double.NaN : trainedTokens / (trainNanos / 1e9), (System.nanoTime() - started) / 1e9);
    }

    /**
     * Mean cross-entropy per token (nats) of {@code model} on the text of {@code streams}, read in
     * chunks with the state carried across them, in inference mode; then the model is as before,
     * with its state reset.
     */
    public static double evaluate(CompiledModel model, TokenStreams streams, Batch batch) {
        SequenceModel sequence = languageModel(model);
        boolean training = model.isTraining(), carry = sequence.carriesState();
        int steps = sequence.activeSteps();
        double sum = 0;
        long count = 0;
        try {
            model.setTraining(false);
            sequence.setCarryState(true);
            sequence.resetState();
            streams.start(0);
            for (int active; (active = streams.next(batch)) > 0; ) {
                sequence.setActiveSteps(active);
                model.forward(batch.x, batch.size);
                long n = (long) batch.size * active;
                sum += (double) model.loss(batch) * n;
                count += n;
            }
        } finally {
            sequence.resetState();
            sequence.setActiveSteps(steps);
            sequence.setCarryState(carry);
            model.setTraining(training);
        }
        return sum / count;
    }

    static SequenceModel languageModel(CompiledModel model) {
        if (model instanceof SequenceModel s && s.labelsPerSample() == s.timeSteps() && s.timeSteps() > 0) return s;
        throw new IllegalArgumentException(model.name() + " is not a language model: it must read a sequence and predict"
                + " a token at every step");
    }

    /** Where epoch {@code epoch}'s streams start, in [0, steps): from (seed, epoch) only, so a resumed run repeats it. */
    static int offset(long seed, int epoch, int steps) {
        long z = seed * 0x9E3779B97F4A7C15L + epoch * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        z ^= z >>> 31;
        return (int) Math.floorMod(z, (long) steps);
    }

    private static void checkVocabulary(Path file, Map<String, String> metadata, Vocabulary vocabulary) throws IOException {
        String saved = metadata.get(VOCABULARY);
        if (saved == null) throw new IOException(file + ": holds no vocabulary; it was not saved by a language model's training");
        if (!saved.equals(vocabulary.symbols())) {
            throw new IOException(file + ": was trained on a text with another vocabulary (" + Vocabulary.parse(saved)
                    + ", this text has " + vocabulary + ")");
        }
    }
}
