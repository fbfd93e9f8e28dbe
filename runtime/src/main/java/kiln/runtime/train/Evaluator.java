package kiln.runtime.train;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import kiln.runtime.Batch;
import kiln.runtime.CompiledModel;
import kiln.runtime.data.DataException;
import kiln.runtime.data.Dataset;

/**
 * How a run with a step of its own is scored on held-out data: after every epoch on the
 * validation split (the figures the epoch line, the metrics log, early stopping and plateau
 * schedules see), and once on the test split at the end.
 */
@FunctionalInterface
public interface Evaluator {
    /**
     * The run's figures on {@code data}, by name in the order to show them; an accuracy is a
     * fraction and its name is {@code accuracy} or ends in {@code /accuracy}. Runs in whatever mode
     * it sets; the loop switches every model back to training afterwards.
     */
    Map<String, Double> evaluate(Dataset data);

    /**
     * Every model's own figures ({@link Metrics#evaluate}: loss, loss terms, accuracy), named
     * {@code <model>/<figure>} in a run of several, for each model that has a loss of its own and
     * that {@code data} can feed (it has the model's inputs and the labels or targets the model
     * learns from); the others are left out ({@link #unscored} says why).
     */
    static Evaluator ofModels(List<TrainedModel> models) {
        RunModels run = new RunModels(models);
        return data -> {
            Map<String, Double> figures = new LinkedHashMap<>();
            for (int k = 0; k < run.size(); k++) {
                CompiledModel model = run.model(k);
                if (unscored(data, model) != null) continue;
                String prefix = run.prefix(k);
                Metrics.evaluate(model, data, Batch.forModel(model, model.maxBatch())).figures().forEach((f, v) -> figures.put(prefix + f, v));
            }
            return figures;
        };
    }

    /** Why {@link #ofModels} leaves {@code model} out on {@code data}: it has no loss, or the data cannot feed it (the data set's one-line reason); null when it scores it. */
    public static String unscored(Dataset data, CompiledModel model) {
        if (model.lossTermNames().isEmpty()) return model.name() + " has no loss of its own";
        try {
            data.checkFits(model);
            return null;
        } catch (DataException e) {
            return e.getMessage();
        }
    }
}
