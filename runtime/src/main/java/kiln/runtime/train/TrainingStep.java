package kiln.runtime.train;

import kiln.runtime.Batch;
import kiln.runtime.CompiledModel;
import kiln.runtime.optim.Optimizer;

/**
 * One training step on one batch: what the training loop calls for every batch it draws, between
 * setting the step's learning rates and random streams and updating the progress line. The loop
 * supplies everything around it (schedules, clipping and the finite check through
 * {@link StepContext#update}, figures, checkpoints, exact resume), so a step of one's own, say a
 * GAN's discriminator and generator updates, keeps all of it.
 *
 * <p>The step of every generated main, {@link #of}, is written with the same calls a step of
 * one's own makes. A step should allocate nothing: it runs tens of thousands of times an epoch.
 */
@FunctionalInterface
public interface TrainingStep {
    /**
     * Trains on rows [0, batch.size) of {@code batch}.
     *
     * @throws TrainingDivergedException when a reported figure or a gradient is NaN or infinite
     *     (the context's methods throw it with the one-line message; let it propagate)
     */
    void run(Batch batch, StepContext context) throws TrainingDivergedException;

    /**
     * The built-in step: forward, accuracy from the batch's own predictions (before the update),
     * the loss and its terms, backward, and one update of {@code optimizer}.
     */
    static TrainingStep of(CompiledModel model, Optimizer optimizer) {
        return (batch, context) -> {
            model.forward(batch);
            context.reportAccuracy(model, batch);
            float loss = model.lossAndGrad(batch);
            context.reportLoss(model, loss);
            model.backward();
            context.update(optimizer);
        };
    }
}
