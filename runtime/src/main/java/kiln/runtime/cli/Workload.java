package kiln.runtime.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Map;
import kiln.runtime.CompiledModel;
import kiln.runtime.data.DataException;
import kiln.runtime.optim.Optimizer;
import kiln.runtime.optim.Optimizers;
import kiln.runtime.train.Checkpoint;
import kiln.runtime.train.TrainConfig;
import kiln.runtime.train.TrainResult;
import kiln.runtime.train.TrainingDivergedException;

/**
 * What one of the mains trains, and what differs between them: a generated model on a data set
 * ({@link DataWorkload}), a character language model on a text ({@link TextWorkload}), or a run
 * with its own training step ({@link CustomWorkload}). {@link Session} runs the command line's
 * mode (train, search, evaluate, predict) the same way for each, asking the workload to load its
 * data, build its models for a setting, check them against the data, train them, score them and
 * predict with them.
 */
abstract class Workload {
    final String name;
    final Options options;
    final PrintStream out;

    Workload(String name, Options options, PrintStream out) {
        this.name = name;
        this.options = options;
        this.out = out;
    }

    abstract RunKind kind();

    /** The sizes a model built at run time offers, each with its candidates; empty for fixed sizes. */
    Map<String, int[]> sizeChoices() {
        return Map.of();
    }

    /** Reads the data (from {@code --data}, or the source's default), split with {@code seed}; a problem is a usage failure. */
    abstract void load(long seed) throws Failure;

    /** The models and optimizers of {@code s}, parameters initialised from its seed. */
    abstract Built build(Setting s) throws Failure;

    /** Checks what needs both the models and the data before training: they fit, the monitored figure exists. */
    abstract void check(Built built) throws Failure;

    /** Checks a checkpoint's metadata before anything is restored from it (a language model's vocabulary). */
    void checkCheckpoint(Path file, Map<String, String> meta) throws Failure {}

    /** The header's middle: the models and the data, e.g. {@code "Mlp: 1,000 parameters | MNIST: 50,000 train, ..."}. */
    abstract String describe(Built built);

    /** The optimizers, for the header: the model's; a run of its own lists them with its models ({@link #describe}). */
    String describeOptimizers(Built built) {
        return built.optimizer().describe();
    }

    /** What the run trains on, for the search line: {@code "1,000 training samples"}. */
    abstract String describeTrainingSize();

    /** What a batch is, for the header's end: {@code "batch 64"}, or a text's streams. */
    String describeBatch(Built built, int batch) {
        return "batch " + batch;
    }

    abstract TrainResult fit(Built built, TrainConfig config, Checkpoint.Restored restored)
            throws TrainingDivergedException, IOException, DataException;

    /** After training: a language model writes text. */
    void afterTraining(Built built) throws Failure {}

    /** {@code --eval}: prints the figures of the weights in {@code file} ({@code meta} its metadata), built and loaded into {@code built}. */
    abstract void evaluate(Built built, Path file, Map<String, String> meta) throws Failure;

    /** {@code --predict}: writes what the model in {@code file} predicts. */
    void predict(Path file, Map<String, String> meta) throws Failure {
        throw Failure.usage("--predict does not apply to " + name);
    }

    /** {@code --sample}: a language model writes text with {@code file}. */
    void sample(Path file) throws Failure {
        throw Failure.usage("--sample does not apply to " + name);
    }

    /** A generated model's optimizer as the command line asks for it; a bad setting is a usage failure. */
    Optimizer optimizer(CompiledModel model, Setting s) throws Failure {
        try {
            return Optimizers.forModel(options.optimizer(), model, s.lr(), s.weightDecay(), options.noBiasDecay());
        } catch (IllegalArgumentException e) {
            throw Failure.usage(e.getMessage() + "; try --help");
        }
    }

    /** Loads only the weights from {@code file}, the best ones when it holds them; a problem is a usage failure. */
    static void loadWeights(Path file, Built built) throws Failure {
        try {
            Checkpoint.loadWeights(file, built.models());
        } catch (IOException e) {
            throw Failure.usage(e.getMessage());
        }
    }

    /** {@code "epoch 2"}, or {@code "best weights, epoch 1"}: which weights a checkpoint's evaluation uses. */
    static String weightsOf(Map<String, String> meta) {
        String best = meta.get("early_stopping.best_epoch");
        if (best != null && !best.equals("0")) return "best weights, epoch " + best;
        return "epoch " + meta.getOrDefault("epoch", "?");
    }
}
