package kiln.runtime.train;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import kiln.runtime.data.Dataset;

/**
 * A run with a training step of its own: its models, each with its optimizer, the step, and how
 * it is scored on held-out data. The loop gives it what it gives a generated model: schedules (on
 * every optimizer alike), clipping and the finite check ({@link StepContext#update}), the progress
 * line, metrics log and curves, checkpoints of every model and optimizer, exact resume and early
 * stopping. Each step receives a batch shaped as the data set's samples ({@link Dataset#batch}).
 */
public final class CustomTraining {
    private final List<TrainedModel> models;
    private final TrainingStep step;
    private final Evaluator evaluator;

    private CustomTraining(List<TrainedModel> models, TrainingStep step, Evaluator evaluator) {
        if (models.isEmpty()) throw new IllegalArgumentException("a run needs at least one model");
        new RunModels(models); // checks the names, and that no model or optimizer appears twice
        this.models = List.copyOf(models);
        this.step = Objects.requireNonNull(step, "step");
        this.evaluator = evaluator;
    }

    /** {@code step} training {@code models}, scored by each model's own figures ({@link Evaluator#ofModels}). */
    public static CustomTraining of(TrainingStep step, TrainedModel... models) {
        return new CustomTraining(List.of(models), step, null);
    }

    /** The same run, scored by {@code evaluator} instead. */
    public CustomTraining withEvaluator(Evaluator evaluator) {
        return new CustomTraining(models, step, Objects.requireNonNull(evaluator, "evaluator"));
    }

    /** Initialises every model's parameters: the first from {@code seed}, as a run of that model alone would, the others from seeds derived from it. */
    public void initParams(long seed) {
        new RunModels(models).initParams(seed);
    }

    public List<TrainedModel> models() {
        return models;
    }

    public TrainingStep step() {
        return step;
    }

    /** Whether an evaluator was given ({@link #withEvaluator}), rather than each model's own figures. */
    public boolean hasOwnEvaluator() {
        return evaluator != null;
    }

    /** The evaluator given, or each model's own figures. */
    public Evaluator evaluator() {
        return evaluator != null ? evaluator : Evaluator.ofModels(models);
    }

    /**
     * What the validation split of {@code data} will report, for the run's header: null when an
     * evaluator was given or every model is scored, else which models are left out and why.
     */
    public String validationNote(Dataset data) {
        if (evaluator != null) return null;
        List<String> scored = new ArrayList<>(), left = new ArrayList<>();
        for (TrainedModel m : models) {
            String why = Evaluator.unscored(data, m.model());
            if (why == null) scored.add(m.name());
            else left.add(m.name() + " (" + why + ")");
        }
        if (left.isEmpty()) return null;
        return "validation scores " + (scored.isEmpty() ? "no model" : String.join(", ", scored)) + "; not " + String.join(", ", left)
                + "; give the run an Evaluator to score it";
    }
}
