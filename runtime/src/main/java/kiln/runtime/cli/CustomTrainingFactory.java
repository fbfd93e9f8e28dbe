package kiln.runtime.cli;

import kiln.runtime.train.CustomTraining;

/**
 * Builds a run with a training step of its own for {@code TrainingMain.run}: its models (sized for
 * {@code settings.batch()} and {@code settings.threads()}), an optimizer for each (usually
 * {@code settings.optimizer(model)}), the step and, optionally, its evaluator. The main then
 * initialises every model's parameters (the first from {@code --seed}, the others from seeds
 * derived from it) or restores them from {@code --resume}.
 */
@FunctionalInterface
public interface CustomTrainingFactory {
    CustomTraining create(RunSettings settings);
}
