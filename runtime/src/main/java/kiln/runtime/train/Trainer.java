package kiln.runtime.train;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import kiln.runtime.Batch;
import kiln.runtime.CompiledModel;
import kiln.runtime.SequenceModel;
import kiln.runtime.TargetKind;
import kiln.runtime.data.DataException;
import kiln.runtime.data.Splits;
import kiln.runtime.io.SafeTensors;
import kiln.runtime.optim.Optimizer;
import kiln.runtime.text.CharCorpus;
import kiln.runtime.text.TokenStreams;
import kiln.runtime.text.Vocabulary;

/**
 * The training loop, one for every kind of run: a model on a data set (shuffled mini-batches), a
 * character language model on a text (truncated backpropagation through time: contiguous streams
 * in chunks, the hidden state carried across them), and a run with a training step of its own
 * ({@link CustomTraining}: several models, each with its optimizer). Each epoch trains on every
 * batch, then scores the validation data; a checkpoint may follow, and a test pass ends the run.
 * Optionally: a learning-rate schedule (per step, or per epoch on the monitored figure), gradient
 * clipping, early stopping with the best weights restored at the end, checkpoints every N steps,
 * a metrics log and a PNG of the learning curves.
 *
 * <p>A step ({@link TrainingStep}) allocates nothing: the batch, the permutation and the figures
 * are set up once per run, the schedule is arithmetic, and the progress line formats text only
 * when it prints. Before an optimizer updates, its gradients are checked to be finite; a NaN or
 * infinite loss, figure or gradient stops training with a message naming the step and the first
 * parameter affected, and the last checkpoint stays as it was.
 *
 * <p>Resuming is exact: what an epoch reads depends on (seed, epoch) only, every model's random
 * stream (dropout, noise) and the step's own ({@link StepContext#gaussian}) are reseeded from
 * (seed, step) before every step, time-based schedules are functions of the position, and
 * everything else that evolves (optimizer state, plateau schedule, early stopping and its best
 * weights, the history, the running figures of a part-trained epoch, the state a text model
 * carries between chunks) is saved in the checkpoint. With one thread a resumed run is
 * bit-identical to an uninterrupted one.
 */
public final class Trainer {
    // The trainer's own checkpoint metadata.
    /** The run's configured learning rate, which schedules scale; replace it in a {@link Checkpoint.Restored} to change it on resume. */
    public static final String BASE_LR = "base_learning_rate";
    /** A text model's vocabulary, its symbols in id order: a checkpoint of a language model means nothing without it. */
    public static final String VOCABULARY = "vocabulary";
    static final String MONITOR = "monitor";
    static final String SCHEDULE = "schedule";
    static final String SCHEDULE_PREFIX = "schedule.";
    static final String HISTORY = "history";
    static final String EPOCH_POSITION = "epoch_position";
    static final String EPOCH_BATCHES = "epoch_batches";
    static final String EPOCH_FIGURES = "epoch_figures";
    static final String EPOCH_NANOS = "epoch_nanos";

    // ---- one model on a data set ----

    /**
     * Trains {@code model} with {@code optimizer} on {@code data} as {@code config} says, writing the
     * log to {@code out}. The caller initialises the parameters (or passes {@code config.resume()});
     * a resumed run keeps the checkpoint's seed so that it shuffles as the uninterrupted run would.
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
     * As above, the caller having restored the model and optimizer from the checkpoint that gave
     * {@code resumed} (null for a fresh start): it may adjust them in between, e.g. a new learning rate.
     */
    public TrainResult fit(CompiledModel model, Optimizer optimizer, Splits data, TrainConfig config, Checkpoint.Restored resumed,
            PrintStream out) throws DataException, IOException, TrainingDivergedException {
        data.train().checkFits(model);
        data.validation().checkFits(model);
        data.test().checkFits(model);
        checkBatch(model, config.batch(), "batch");
        checkMonitor(config.monitor(), model);
        Batch batch = Batch.forModel(model, config.batch());
        return new TrainingLoop(List.of(new TrainedModel(model.name(), model, optimizer)), TrainingStep.of(model, optimizer),
                new DatasetBatches(data.train(), config.batch()), batch,
                () -> Metrics.evaluate(model, data.validation(), batch), () -> Metrics.evaluate(model, data.test(), batch), false,
                config, out).train(resumed);
    }

    // ---- a language model on a text ----

    /**
     * Trains a character language model (a {@link SequenceModel} predicting a token at every step)
     * on {@code text} by truncated backpropagation through time, {@code config.batch()} being the
     * number of parallel streams; validation is the mean cross-entropy per character (nats) on the
     * held-out text. Checkpoints hold the vocabulary ({@value #VOCABULARY}); resuming checks it.
     *
     * @throws IOException if the resume checkpoint cannot be loaded or holds another vocabulary, or a checkpoint cannot be saved
     * @throws TrainingDivergedException if the loss or a gradient becomes NaN or infinite
     */
    public TrainResult fit(CompiledModel model, Optimizer optimizer, CharCorpus text, TrainConfig config, PrintStream out)
            throws IOException, TrainingDivergedException {
        checkLanguageModel(model, text.vocabulary());
        Checkpoint.Restored resumed = null;
        if (config.resume() != null) {
            checkVocabulary(config.resume(), SafeTensors.readMetadata(config.resume()), text.vocabulary()); // before anything changes
            resumed = Checkpoint.restore(config.resume(), model, optimizer);
        }
        return fit(model, optimizer, text, config, resumed, out);
    }

    /** As above, the caller having restored the model and optimizer from the checkpoint that gave {@code resumed} (null for a fresh start). */
    public TrainResult fit(CompiledModel model, Optimizer optimizer, CharCorpus text, TrainConfig config, Checkpoint.Restored resumed,
            PrintStream out) throws IOException, TrainingDivergedException {
        checkLanguageModel(model, text.vocabulary());
        checkBatch(model, config.batch(), "streams");
        checkMonitor(config.monitor(), model);
        if (resumed != null) checkVocabulary(config.resume(), resumed.metadata(), text.vocabulary());
        Map<String, String> meta = new LinkedHashMap<>(config.metadata());
        meta.put(VOCABULARY, text.vocabulary().symbols());
        Batch batch = Batch.forModel(model, config.batch());
        TokenStreams validation = new TokenStreams(text.validation(), config.batch(), ((SequenceModel) model).timeSteps());
        return new TrainingLoop(List.of(new TrainedModel(model.name(), model, optimizer)), TrainingStep.of(model, optimizer),
                new TextBatches(model, text.train(), config.batch()), batch, () -> Metrics.evaluateText(model, validation, batch), null, true,
                config.withMetadata(meta), out).train(resumed);
    }

    // ---- a step of one's own ----

    /**
     * Trains {@code training}'s models with its step on {@code data}, {@code config.batch()} rows of
     * the data set's samples per step; scores the validation split after every epoch and the test
     * split at the end with its evaluator.
     *
     * @throws IOException if the resume checkpoint cannot be loaded or a checkpoint cannot be saved
     * @throws TrainingDivergedException if a reported figure or a gradient becomes NaN or infinite
     */
    public TrainResult fit(CustomTraining training, Splits data, TrainConfig config, PrintStream out)
            throws IOException, TrainingDivergedException {
        Checkpoint.Restored resumed = config.resume() == null ? null : Checkpoint.restore(config.resume(), training.models());
        return fit(training, data, config, resumed, out);
    }

    /** As above, the caller having restored the models and optimizers from the checkpoint that gave {@code resumed} (null for a fresh start). */
    public TrainResult fit(CustomTraining training, Splits data, TrainConfig config, Checkpoint.Restored resumed, PrintStream out)
            throws IOException, TrainingDivergedException {
        Evaluator evaluator = training.evaluator();
        return new TrainingLoop(training.models(), training.step(), new DatasetBatches(data.train(), config.batch()), data.train().batch(config.batch()),
                () -> new Evaluation(evaluator.evaluate(data.validation()), data.validation().size()),
                () -> new Evaluation(evaluator.evaluate(data.test()), data.test().size()), false, config, out).train(resumed);
    }

    // ---- checks ----

    private static void checkBatch(CompiledModel model, int batch, String what) {
        if (batch > model.maxBatch()) throw new IllegalArgumentException(what + " " + batch + " exceeds the model's maxBatch " + model.maxBatch());
    }

    /** Throws unless {@code model}'s validation reports the monitored figure. */
    static void checkMonitor(Monitor monitor, CompiledModel model) {
        String problem = monitorProblem(monitor, model);
        if (problem != null) throw new IllegalArgumentException("cannot monitor validation " + monitor.figure() + ": " + problem);
    }

    /** Why {@code model}'s validation cannot give the monitored figure, e.g. {@code "X is a regression model, which has no accuracy; monitor its loss"}; null when it can. */
    public static String monitorProblem(Monitor monitor, CompiledModel model) {
        List<String> figures = Metrics.figureNames(model);
        if (monitor.figure().equals("accuracy") && !Accuracy.defined(model)) {
            return model.name() + (model.targetKind() == TargetKind.REGRESSION ? " is a regression model, which has" : " learns from no targets, so it has")
                    + " no accuracy; monitor its loss";
        }
        return figures.contains(monitor.figure()) ? null : model.name() + "'s validation reports " + String.join(", ", figures);
    }

    /** Why {@code model} cannot learn {@code vocabulary}'s text, or null when it can. */
    public static String languageModelProblem(CompiledModel model, Vocabulary vocabulary) {
        if (!(model instanceof SequenceModel s) || s.labelsPerSample() != s.timeSteps() || s.timeSteps() < 1 || model.inputShape().length != 1) {
            return model.name() + " is not a character language model (token ids in, a prediction per step out)";
        }
        int classes = model.outputSize() / s.timeSteps();
        if (vocabulary.size() > classes) {
            return "the text has " + vocabulary.size() + " distinct characters, but " + model.name() + " predicts " + classes
                    + ": raise its vocabulary (embedding and logits) to at least " + vocabulary.size();
        }
        return null;
    }

    private static void checkLanguageModel(CompiledModel model, Vocabulary vocabulary) {
        String problem = languageModelProblem(model, vocabulary);
        if (problem != null) throw new IllegalArgumentException(problem);
    }

    /** Throws unless the checkpoint's metadata holds {@code vocabulary}. */
    public static void checkVocabulary(Path file, Map<String, String> metadata, Vocabulary vocabulary) throws IOException {
        String saved = metadata.get(VOCABULARY);
        String source = file == null ? "the checkpoint" : file.toString();
        if (saved == null) throw new IOException(source + ": holds no vocabulary; it was not saved by a language model's training");
        if (!saved.equals(vocabulary.symbols())) {
            throw new IOException(source + ": was trained on a text with another vocabulary (" + Vocabulary.parse(saved) + ", this text has "
                    + vocabulary + ")");
        }
    }
}
