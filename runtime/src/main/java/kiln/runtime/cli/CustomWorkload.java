package kiln.runtime.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import kiln.runtime.data.DataException;
import kiln.runtime.data.DataSource;
import kiln.runtime.data.Splits;
import kiln.runtime.train.Checkpoint;
import kiln.runtime.train.CustomTraining;
import kiln.runtime.train.Evaluation;
import kiln.runtime.train.Evaluator;
import kiln.runtime.train.Metrics;
import kiln.runtime.train.Monitor;
import kiln.runtime.train.Progress;
import kiln.runtime.train.TrainConfig;
import kiln.runtime.train.TrainResult;
import kiln.runtime.train.TrainedModel;
import kiln.runtime.train.Trainer;
import kiln.runtime.train.TrainingDivergedException;

/** A run with its own training step on a data set's splits: the user's models, optimizers, step and evaluator. */
final class CustomWorkload extends Workload {
    private final CustomTrainingFactory setup;
    private final DataSource source;
    private Splits splits;

    CustomWorkload(String name, CustomTrainingFactory setup, DataSource source, Options options, PrintStream out) {
        super(name, options, out);
        this.setup = setup;
        this.source = source;
    }

    @Override
    RunKind kind() {
        return RunKind.CUSTOM;
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
        CustomTraining training;
        try {
            training = setup.create(new RunSettings(s.batch(), options.threads(), s.seed(), options.optimizer(), s.lr(), s.weightDecay(),
                    options.noBiasDecay(), splits));
        } catch (IllegalArgumentException e) {
            throw Failure.usage("cannot build " + name + ": " + e.getMessage());
        }
        training.initParams(s.seed());
        return new Built(training.models(), training);
    }

    /**
     * With its own evaluator a run reports figures only its validation shows, so a monitored figure
     * it lacks is found after the first epoch; with the default one they are known now.
     */
    @Override
    void check(Built built) throws Failure {
        if (built.custom().hasOwnEvaluator()) return;
        boolean needed;
        try {
            needed = options.earlyStopping() != null || options.search() != null
                    || SpecSyntax.scheduleSpec(options.schedule(), options.epochs()).kind().equals("plateau");
        } catch (UsageException e) {
            throw Failure.usage(e.getMessage() + "; try --help");
        }
        if (!needed && options.monitor().equals(Monitor.LOSS)) return;
        List<String> figures = new ArrayList<>();
        for (TrainedModel m : built.models()) {
            if (Evaluator.unscored(splits.validation(), m.model()) != null) continue;
            for (String f : Metrics.figureNames(m.model())) figures.add(built.models().size() > 1 ? m.name() + "/" + f : f);
        }
        if (!figures.contains(options.monitor().figure())) {
            throw Failure.usage("--monitor " + options.monitor().label() + ": " + name + "'s validation reports "
                    + (figures.isEmpty() ? "nothing (no model reads the data as it is); give the run an Evaluator" : String.join(", ", figures))
                    + "; try --help");
        }
    }

    @Override
    String describeTrainingSize() {
        return String.format(Locale.ROOT, "%,d training samples", splits.train().size());
    }

    @Override
    String describe(Built built) {
        StringBuilder b = new StringBuilder(name).append(':');
        for (TrainedModel m : built.models()) {
            b.append(b.charAt(b.length() - 1) == ':' ? " " : ", ").append(m.name()).append(" (").append(m.model().name())
                    .append(String.format(Locale.ROOT, ", %,d parameters, ", m.model().parameterCount())).append(m.optimizer().describe()).append(')');
        }
        return b + String.format(Locale.ROOT, " | %s%s: %,d train, %,d validation, %,d test", source.describe(),
                options.data() == null ? "" : " from " + options.data(), splits.train().size(), splits.validation().size(), splits.test().size());
    }

    @Override
    String describeOptimizers(Built built) {
        return "";
    }

    @Override
    TrainResult fit(Built built, TrainConfig config, Checkpoint.Restored restored) throws TrainingDivergedException, IOException {
        String note = built.custom().validationNote(splits.validation());
        if (note != null && !config.quiet()) out.println("note: " + note);
        return new Trainer().fit(built.custom(), splits, config, restored, out);
    }

    @Override
    void evaluate(Built built, Path file, Map<String, String> meta) throws Failure {
        Evaluation test = new Evaluation(built.custom().evaluator().evaluate(splits.test()), splits.test().size());
        out.println(String.format(Locale.ROOT, "%s: %s (%s) | %s%s", name, file, weightsOf(meta), source.describe(),
                options.data() == null ? "" : " from " + options.data()));
        out.println("test  " + Progress.figures(test.figures(), false) + String.format(Locale.ROOT, "  (%,d samples)", test.samples()));
        for (TrainedModel m : built.models()) m.model().setTraining(true);
    }
}
