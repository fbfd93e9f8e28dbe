package kiln.runtime.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import kiln.runtime.Batch;
import kiln.runtime.CompiledModel;
import kiln.runtime.SequenceModel;
import kiln.runtime.data.DataException;
import kiln.runtime.io.AtomicFiles;
import kiln.runtime.text.CharCorpus;
import kiln.runtime.text.TextGenerator;
import kiln.runtime.text.TextSource;
import kiln.runtime.text.TokenStreams;
import kiln.runtime.text.Vocabulary;
import kiln.runtime.train.Checkpoint;
import kiln.runtime.train.Evaluation;
import kiln.runtime.train.Metrics;
import kiln.runtime.train.Progress;
import kiln.runtime.train.TrainConfig;
import kiln.runtime.train.TrainResult;
import kiln.runtime.train.Trainer;
import kiln.runtime.train.TrainingDivergedException;

/**
 * A character language model on a text: the text's vocabulary, its last tenth held out, training
 * by truncated backpropagation through time in {@code --batch} streams, validation in nats per
 * character; then it writes text. {@code --sample} and {@code --predict} write text with a
 * checkpoint, whose metadata holds the vocabulary, without reading the text.
 */
final class TextWorkload extends Workload {
    /** Fraction of the text, at its end, held out for validation. */
    static final double VALIDATION_FRACTION = 0.1;

    private final ModelFactory factory;
    private final TextSource source;
    private CharCorpus corpus;

    TextWorkload(String name, ModelFactory factory, TextSource source, Options options, PrintStream out) {
        super(name, options, out);
        this.factory = factory;
        this.source = source;
    }

    @Override
    RunKind kind() {
        return RunKind.TEXT;
    }

    @Override
    void load(long seed) throws Failure {
        try {
            String label = options.data() == null ? source.describe() + " (bundled sample)" : options.data().toString();
            corpus = CharCorpus.split(label, source.read(options.data()), VALIDATION_FRACTION);
        } catch (DataException e) {
            throw Failure.usage(e.getMessage());
        }
    }

    @Override
    Built build(Setting s) throws Failure {
        CompiledModel model = create(s.batch());
        model.initParams(s.seed());
        try {
            return Built.of(model, optimizer(model, s));
        } catch (Failure f) {
            model.close();
            throw f;
        }
    }

    private CompiledModel create(int streams) throws Failure {
        try {
            return factory.create(streams, options.threads());
        } catch (IllegalArgumentException e) {
            throw Failure.usage("cannot build " + name + ": " + e.getMessage());
        }
    }

    @Override
    void check(Built built) throws Failure {
        String problem = Trainer.languageModelProblem(built.model(), corpus.vocabulary());
        if (problem != null) throw Failure.usage(corpus.name() + ": " + problem);
        problem = Trainer.monitorProblem(options.monitor(), built.model());
        if (problem != null) throw Failure.usage("--monitor " + options.monitor().label() + ": " + problem + "; try --help");
    }

    @Override
    void checkCheckpoint(Path file, Map<String, String> meta) throws Failure {
        try {
            Trainer.checkVocabulary(file, meta, corpus.vocabulary());
        } catch (IOException e) {
            throw Failure.usage(e.getMessage());
        }
    }

    @Override
    String describeTrainingSize() {
        return String.format(Locale.ROOT, "%,d training characters", corpus.train().length);
    }

    @Override
    String describe(Built built) {
        return String.format(Locale.ROOT, "%s: %,d parameters | %s", built.model().name(), built.parameterCount(), corpus);
    }

    @Override
    String describeBatch(Built built, int batch) {
        return String.format(Locale.ROOT, "%,d streams of %d-character chunks", batch, ((SequenceModel) built.model()).timeSteps());
    }

    @Override
    TrainResult fit(Built built, TrainConfig config, Checkpoint.Restored restored) throws TrainingDivergedException, IOException {
        return new Trainer().fit(built.model(), built.optimizer(), corpus, config, restored, out);
    }

    @Override
    void afterTraining(Built built) throws Failure {
        if (options.generation().length() > 0) write(built.model(), corpus.vocabulary(), true, null);
    }

    @Override
    void evaluate(Built built, Path file, Map<String, String> meta) throws Failure {
        CompiledModel model = built.model();
        String problem = Trainer.languageModelProblem(model, corpus.vocabulary());
        if (problem != null) throw Failure.usage(corpus.name() + ": " + problem);
        int steps = ((SequenceModel) model).timeSteps();
        Evaluation validation = Metrics.evaluateText(model, new TokenStreams(corpus.validation(), model.maxBatch(), steps),
                Batch.forModel(model, model.maxBatch()));
        out.println(String.format(Locale.ROOT, "%s: %s (%s) | %s", model.name(), file, weightsOf(meta), corpus));
        out.println("validation  " + Progress.figures(validation.figures(), true)
                + String.format(Locale.ROOT, "  (%,d characters)", validation.samples()));
    }

    @Override
    void predict(Path file, Map<String, String> meta) throws Failure {
        writeWith(file, meta, false, options.output());
    }

    @Override
    void sample(Path file) throws Failure {
        writeWith(file, Session.metadata(file), true, null);
    }

    /** Writes text with the weights in {@code file} and the vocabulary in its metadata; the text itself is not read. */
    private void writeWith(Path file, Map<String, String> meta, boolean header, Path to) throws Failure {
        String symbols = meta.get(Trainer.VOCABULARY);
        if (symbols == null) throw Failure.usage(file + ": holds no vocabulary; it was not saved by a language model's training");
        Vocabulary vocabulary;
        try {
            vocabulary = Vocabulary.parse(symbols);
        } catch (IllegalArgumentException e) {
            throw Failure.usage(file + ": metadata " + Trainer.VOCABULARY + ": " + e.getMessage());
        }
        try (CompiledModel model = create(1)) {
            String problem = Trainer.languageModelProblem(model, vocabulary);
            if (problem != null) throw Failure.usage(file + ": " + problem);
            try {
                Checkpoint.loadWeights(file, model);
            } catch (IOException e) {
                throw Failure.usage(e.getMessage());
            }
            write(model, vocabulary, header, to);
        }
    }

    /** Writes {@code --length} characters continuing {@code --prompt}, to {@code to} or, with a header line, to the log. */
    private void write(CompiledModel model, Vocabulary vocabulary, boolean header, Path to) throws Failure {
        Generation g = options.generation();
        String text;
        try {
            text = new TextGenerator(model, vocabulary).generate(g.prompt(), g.length(), g.temperature(), options.seed());
        } catch (IllegalArgumentException e) {
            throw Failure.usage("--prompt: " + e.getMessage());
        }
        if (to != null) {
            try {
                AtomicFiles.write(to, o -> o.write(text.getBytes(StandardCharsets.UTF_8)));
            } catch (IOException e) {
                throw Failure.failed(to + ": cannot write: " + e.getMessage());
            }
            out.println(String.format(Locale.ROOT, "%s: wrote %,d characters at temperature %s, seed %d, to %s", model.name(), g.length(),
                    g.temperature(), options.seed(), to));
            return;
        }
        if (header) out.println(String.format(Locale.ROOT, "--- %d characters at temperature %s, seed %d ---", g.length(), g.temperature(), options.seed()));
        out.println(text);
        out.flush();
    }
}
