package kiln.runtime.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import kiln.runtime.CompiledModel;
import kiln.runtime.SequenceModel;
import kiln.runtime.data.DataException;
import kiln.runtime.optim.Optimizer;
import kiln.runtime.optim.Optimizers;
import kiln.runtime.text.CharCorpus;
import kiln.runtime.text.TextGenerator;
import kiln.runtime.text.TextSource;
import kiln.runtime.text.Vocabulary;
import kiln.runtime.train.Checkpoint;
import kiln.runtime.train.TrainConfig;
import kiln.runtime.train.TrainResult;
import kiln.runtime.train.Trainer;
import kiln.runtime.train.TrainingDivergedException;

/**
 * The {@code main} of a generated character-level language model: trains it on a text by
 * truncated backpropagation through time ({@link SequenceTrainer}), reporting the validation loss
 * in nats per character after every epoch, and prints text it writes at the end; or, with
 * {@code --sample CHECKPOINT}, only writes text with a trained checkpoint.
 *
 * <p>Options: {@link LanguageModelOptions} ({@code --batch} is the number of parallel text streams).
 * Exit codes and error lines as in {@link TrainingMain}: 0 on success, 2 for anything to fix before
 * training (an option, the text, a checkpoint), 1 when training fails.
 */
public final class LanguageModelMain {
    /** Fraction of the text, at its end, held out for validation. */
    public static final double VALIDATION_FRACTION = 0.1;

    private LanguageModelMain() {}

    public static int run(String modelName, ModelFactory factory, TextSource text, TrainDefaults defaults, String[] args) {
        return run(modelName, factory, text, defaults, args, System.out, System.err);
    }

    /** As above, writing the log and the text to {@code out} and errors to {@code err}. */
    public static int run(String modelName, ModelFactory factory, TextSource text, TrainDefaults defaults, String[] args,
            PrintStream out, PrintStream err) {
        int processors = Runtime.getRuntime().availableProcessors();
        LanguageModelOptions options;
        try {
            options = LanguageModelOptions.parse(args, defaults, processors);
            if (!options.help()) checkPaths(options);
        } catch (UsageException e) {
            err.println("error: " + e.getMessage() + "; try --help");
            return TrainingMain.USAGE;
        }
        if (options.help()) {
            out.print(LanguageModelOptions.usage(modelName, text.describe() + ", the bundled sample", defaults, processors));
            out.flush();
            return TrainingMain.OK;
        }
        return options.sample() != null
                ? sample(modelName, factory, options, out, err)
                : train(modelName, factory, text, options, out, err);
    }

    private static int train(String modelName, ModelFactory factory, TextSource source, LanguageModelOptions options,
            PrintStream out, PrintStream err) {
        CharCorpus corpus;
        try {
            String name = options.data() == null ? source.describe() + " (bundled sample)" : options.data().toString();
            corpus = CharCorpus.split(name, source.read(options.data()), VALIDATION_FRACTION);
        } catch (DataException e) {
            err.println("error: " + e.getMessage());
            return TrainingMain.USAGE;
        }
        CompiledModel model;
        try {
            model = factory.create(options.batch(), options.threads());
        } catch (IllegalArgumentException e) {
            err.println("error: cannot build " + modelName + ": " + e.getMessage());
            return TrainingMain.USAGE;
        }
        try (model) {
            String problem = fits(model, corpus.vocabulary());
            if (problem != null) {
                err.println("error: " + corpus.name() + ": " + problem);
                return TrainingMain.USAGE;
            }
            model.initParams(options.seed());
            Optimizer optimizer;
            try {
                optimizer = Optimizers.forModel(options.optimizer(), model, options.lr(), options.weightDecay(), false);
            } catch (IllegalArgumentException e) {
                err.println("error: " + e.getMessage() + "; try --help");
                return TrainingMain.USAGE;
            }
            int steps = ((SequenceModel) model).timeSteps();
            out.println(String.format(Locale.ROOT, "%s: %,d parameters | %s | %,d streams of %d-character chunks | %s"
                            + " | clip norm %s | %d thread%s", model.name(), model.parameterCount(), corpus, options.batch(),
                    steps, optimizer.describe(), options.clipNorm() > 0 ? options.clipNorm() : "off", model.threads(),
                    model.threads() == 1 ? "" : "s"));
            TrainConfig config = new TrainConfig(options.epochs(), options.batch(), options.seed(), options.save(), options.resume())
                    .withClipping(options.clipNorm(), 0);
            TrainResult result;
            try {
                Checkpoint.Restored restored = null;
                if (options.resume() != null) {
                    restored = Checkpoint.restore(options.resume(), model, optimizer);
                    if (options.lrGiven()) {
                        optimizer.setLearningRate(options.lr());
                        restored = restored.withMetadata(Trainer.BASE_LR, Double.toString(options.lr()));
                    }
                }
                result = new Trainer().fit(model, optimizer, corpus, config, restored, out);
            } catch (TrainingDivergedException | IOException e) {
                out.flush();
                err.println("error: " + e.getMessage());
                return TrainingMain.FAILED;
            }
            out.println(String.format(Locale.ROOT, "validation %.4f nats/char (%.3f bits) after epoch %d; %,.0f characters/s; %.1f s",
                    result.validationLoss(), result.validationLoss() / Math.log(2), result.epoch(), result.samplesPerSecond(), result.seconds()));
            if (options.length() > 0) {
                return write(model, corpus.vocabulary(), options, out, err);
            }
            return TrainingMain.OK;
        }
    }

    private static int sample(String modelName, ModelFactory factory, LanguageModelOptions options, PrintStream out,
            PrintStream err) {
        CompiledModel model;
        try {
            model = factory.create(1, options.threads());
        } catch (IllegalArgumentException e) {
            err.println("error: cannot build " + modelName + ": " + e.getMessage());
            return TrainingMain.USAGE;
        }
        try (model) {
            Vocabulary vocabulary;
            try {
                Map<String, String> meta = Checkpoint.loadWeights(options.sample(), model);
                String symbols = meta.get(Trainer.VOCABULARY);
                if (symbols == null) {
                    throw new IOException(options.sample() + ": holds no vocabulary; it was not saved by a language model's"
                            + " training");
                }
                vocabulary = Vocabulary.parse(symbols);
            } catch (IOException | IllegalArgumentException e) {
                err.println("error: " + e.getMessage());
                return TrainingMain.USAGE;
            }
            String problem = fits(model, vocabulary);
            if (problem != null) {
                err.println("error: " + options.sample() + ": " + problem);
                return TrainingMain.USAGE;
            }
            return write(model, vocabulary, options, out, err);
        }
    }

    private static int write(CompiledModel model, Vocabulary vocabulary, LanguageModelOptions options, PrintStream out,
            PrintStream err) {
        String text;
        try {
            text = new TextGenerator(model, vocabulary).generate(options.prompt(), options.length(), options.temperature(),
                    options.seed());
        } catch (IllegalArgumentException e) {
            err.println("error: --prompt: " + e.getMessage());
            return TrainingMain.USAGE;
        }
        out.println(String.format(Locale.ROOT, "--- %d characters at temperature %s, seed %d ---", options.length(),
                options.temperature(), options.seed()));
        out.println(text);
        out.flush();
        return TrainingMain.OK;
    }

    /** Why a model cannot read or write a vocabulary, or null when it can. */
    static String fits(CompiledModel model, Vocabulary vocabulary) {
        if (!(model instanceof SequenceModel s) || s.labelsPerSample() != s.timeSteps() || model.inputShape().length != 1) {
            return model.name() + " is not a character language model (token ids in, a prediction per step out)";
        }
        int classes = model.outputSize() / s.timeSteps();
        if (vocabulary.size() > classes) {
            return "the text has " + vocabulary.size() + " distinct characters, but " + model.name() + " predicts " + classes
                    + ": raise its vocabulary (embedding and logits) to at least " + vocabulary.size();
        }
        return null;
    }

    private static void checkPaths(LanguageModelOptions options) throws UsageException {
        if (options.sample() != null && !Files.isRegularFile(options.sample())) {
            throw new UsageException("--sample: no such file " + options.sample());
        }
        if (options.resume() != null && !Files.isRegularFile(options.resume())) {
            throw new UsageException("--resume: no such file " + options.resume());
        }
        if (options.save() != null) {
            Path dir = options.save().toAbsolutePath().getParent();
            if (dir == null || !Files.isDirectory(dir)) throw new UsageException("--save: no such directory " + dir);
            if (Files.isDirectory(options.save())) throw new UsageException("--save: " + options.save() + " is a directory");
        }
    }
}
