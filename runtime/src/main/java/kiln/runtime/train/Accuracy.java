package kiln.runtime.train;

import kiln.runtime.Batch;
import kiln.runtime.CompiledModel;
import kiln.runtime.SequenceModel;
import kiln.runtime.TargetKind;

/**
 * How many of a batch's predictions are right: arg-max agreement for class indices (at every
 * active step for a model that classifies every step), agreement of the 0.5 threshold, output by
 * output, for binary targets. Regression and models without targets have no accuracy. Scoring
 * allocates nothing.
 */
final class Accuracy {
    private Accuracy() {}

    /** Whether the model's predictions can be right or wrong. */
    static boolean defined(CompiledModel model) {
        return model.targetKind() == TargetKind.CLASS_INDEX || model.targetKind() == TargetKind.BINARY;
    }

    /** Correct judgements among rows [0, batch.size) of {@code predictions} ([rows, outputSize], as from predict). */
    static long correct(CompiledModel model, float[] predictions, Batch batch) {
        int n = batch.size, outputSize = model.outputSize();
        long correct = 0;
        switch (model.targetKind()) {
            case CLASS_INDEX -> {
                int steps = batch.labelsPerSample, active = steps == 1 ? 1 : ((SequenceModel) model).activeSteps();
                int classes = outputSize / steps;
                for (int r = 0; r < n; r++) {
                    for (int t = 0; t < active; t++) {
                        int base = (r * steps + t) * classes, best = 0;
                        for (int j = 1; j < classes; j++) if (predictions[base + j] > predictions[base + best]) best = j;
                        if (best == batch.labels[r * steps + t]) correct++;
                    }
                }
            }
            case BINARY -> {
                int outputs = Math.min(outputSize, batch.targetSize);
                for (int r = 0; r < n; r++) {
                    for (int j = 0; j < outputs; j++) {
                        if ((predictions[r * outputSize + j] >= 0.5f) == (batch.targets[r * batch.targetSize + j] >= 0.5f)) correct++;
                    }
                }
            }
            case REGRESSION, NONE -> {
                // No notion of correct.
            }
        }
        return correct;
    }

    /** Judgements {@link #correct} makes on {@code batch}: one per row (per active step), or one per output of a binary model. */
    static long judged(CompiledModel model, Batch batch) {
        return switch (model.targetKind()) {
            case CLASS_INDEX -> (long) batch.size * (batch.labelsPerSample == 1 ? 1 : ((SequenceModel) model).activeSteps());
            case BINARY -> (long) batch.size * Math.min(model.outputSize(), batch.targetSize);
            case REGRESSION, NONE -> 0;
        };
    }
}
