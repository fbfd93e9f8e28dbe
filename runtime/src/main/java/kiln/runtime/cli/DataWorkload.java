package kiln.runtime.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import kiln.runtime.Batch;
import kiln.runtime.CompiledModel;
import kiln.runtime.data.DataException;
import kiln.runtime.data.DataSource;
import kiln.runtime.data.InputReader;
import kiln.runtime.data.Splits;
import kiln.runtime.data.csv.CsvReader;
import kiln.runtime.io.AtomicFiles;
import kiln.runtime.train.Checkpoint;
import kiln.runtime.train.Evaluation;
import kiln.runtime.train.Metrics;
import kiln.runtime.train.Progress;
import kiln.runtime.train.TrainConfig;
import kiln.runtime.train.TrainResult;
import kiln.runtime.train.Trainer;
import kiln.runtime.train.TrainingDivergedException;

/** A generated model (or one built at run time with its sizes) trained on a data set's splits; tested on the test split. */
final class DataWorkload extends Workload {
    private final ParametricModelFactory factory;
    private final DataSource source;
    private final Report report;
    private Splits splits;

    /** {@code report}: what the model's main adds after training and {@code --eval}, or null. */
    DataWorkload(String name, ParametricModelFactory factory, DataSource source, Report report, Options options, PrintStream out) {
        super(name, options, out);
        this.factory = factory;
        this.source = source;
        this.report = report;
    }

    @Override
    RunKind kind() {
        return RunKind.DATA_SET;
    }

    @Override
    Map<String, int[]> sizeChoices() {
        return factory.sizeChoices();
    }

    @Override
    void load(long seed) throws Failure {
        try {
            splits = source.load(options.data(), seed);
        } catch (DataException e) {
            throw Failure.usage(e.getMessage());
        }
    }

    @Override
    Built build(Setting s) throws Failure {
        CompiledModel model;
        try {
            model = factory.create(s.sizes(), s.batch(), options.threads());
        } catch (IllegalArgumentException e) {
            throw Failure.usage("cannot build " + name + (s.sizes().isEmpty() ? "" : " with " + s.formatSizes()) + ": " + e.getMessage());
        }
        model.initParams(s.seed());
        try {
            return Built.of(model, optimizer(model, s));
        } catch (Failure f) {
            model.close();
            throw f;
        }
    }

    @Override
    void check(Built built) throws Failure {
        CompiledModel model = built.model();
        try {
            splits.train().checkFits(model);
            splits.validation().checkFits(model);
            splits.test().checkFits(model);
        } catch (DataException e) {
            throw Failure.usage(e.getMessage());
        }
        String problem = Trainer.monitorProblem(options.monitor(), model);
        if (problem != null) throw Failure.usage("--monitor " + options.monitor().label() + ": " + problem + "; try --help");
        checkSamples();
    }

    /** {@code --sample N} needs a model whose main generates images. */
    private void checkSamples() throws Failure {
        if (options.images() > 0 && (report == null || !report.generates())) {
            throw Failure.usage("--sample " + options.images() + ": " + name + " does not generate images; try --help");
        }
    }

    @Override
    void afterTraining(Built built) throws Failure {
        writeReport(built.model(), options.save());
    }

    /** The model's own report, next to {@code checkpoint}, in inference mode. */
    private void writeReport(CompiledModel model, Path checkpoint) throws Failure {
        if (report == null) return;
        boolean training = model.isTraining();
        model.setTraining(false);
        try {
            report.write(model, splits, new ReportContext(out, ReportContext.stemOf(checkpoint, name), options.images(), options.seed()));
        } catch (java.io.IOException e) {
            throw Failure.failed(name + ": cannot write its report: " + e.getMessage());
        } finally {
            model.setTraining(training);
        }
        out.flush();
    }

    @Override
    String describeTrainingSize() {
        return String.format(Locale.ROOT, "%,d training samples", splits.train().size());
    }

    @Override
    String describe(Built built) {
        return String.format(Locale.ROOT, "%s: %,d parameters | %s%s: %,d train, %,d validation, %,d test", built.model().name(),
                built.parameterCount(), source.describe(), options.data() == null ? "" : " from " + options.data(), splits.train().size(),
                splits.validation().size(), splits.test().size());
    }

    @Override
    TrainResult fit(Built built, TrainConfig config, Checkpoint.Restored restored) throws TrainingDivergedException, IOException, DataException {
        return new Trainer().fit(built.model(), built.optimizer(), splits, config, restored, out);
    }

    @Override
    void evaluate(Built built, Path file, Map<String, String> meta) throws Failure {
        CompiledModel model = built.model();
        try {
            splits.test().checkFits(model);
        } catch (DataException e) {
            throw Failure.usage(e.getMessage());
        }
        Evaluation test = Metrics.evaluate(model, splits.test(), Batch.forModel(model, model.maxBatch()));
        out.println(String.format(Locale.ROOT, "%s: %s (%s) | %s%s", model.name(), file, weightsOf(meta), source.describe(),
                options.data() == null ? "" : " from " + options.data()));
        out.println("test  " + Progress.figures(test.figures(), false) + String.format(Locale.ROOT, "  (%,d samples)", test.samples()));
        checkSamples();
        writeReport(model, file);
    }

    @Override
    void predict(Path file, Map<String, String> meta) throws Failure {
        load(Session.dataSeed(file, meta));
        try (Built built = Session.buildFor(this, file, meta)) {
            CompiledModel model = built.model();
            if (model.inputNames().size() > 1) {
                throw Failure.usage("--predict reads one input per row, but " + model.name() + " reads " + model.inputNames());
            }
            loadWeights(file, built);
            float[] x;
            try {
                if (options.input() == null) {
                    splits.test().checkFits(model);
                    x = splits.test().x();
                } else if (source instanceof InputReader reader) {
                    x = reader.readInputs(options.input());
                } else {
                    x = CsvReader.readMatrix(options.input(), model.inputSize());
                }
            } catch (DataException e) {
                throw Failure.usage(e.getMessage());
            }
            if (x.length % model.inputSize() != 0) {
                throw Failure.usage(options.input() + ": the rows encode to " + x.length + " values in all, not a multiple of the "
                        + model.inputSize() + " inputs of " + model.name());
            }
            String text = predictions(model, x);
            int rows = x.length / model.inputSize();
            if (options.output() == null) {
                out.print(text);
                out.flush();
                return;
            }
            try {
                AtomicFiles.write(options.output(), o -> o.write(text.getBytes(StandardCharsets.UTF_8)));
            } catch (IOException e) {
                throw Failure.failed(options.output() + ": cannot write: " + e.getMessage());
            }
            out.println(String.format(Locale.ROOT, "%s (%s): wrote %,d predictions for %s to %s", model.name(), weightsOf(meta), rows,
                    options.input() == null ? "the test split" : options.input(), options.output()));
        }
    }

    /**
     * One line per row: {@code class,probability} for a classifier (the arg-max and its
     * probability), the same per output for a binary model, the values for regression or a model
     * without targets.
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
                    case REGRESSION, NONE -> {
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
}
