package kiln.runtime.cli;

import kiln.runtime.CompiledModel;
import kiln.runtime.optim.Optimizer;
import kiln.runtime.optim.Optimizers;

/**
 * What a run with its own training step is built for ({@link CustomTrainingFactory}): the rows of
 * every batch the data gives the step, the worker threads, the seed, and the optimizer the
 * command line asks for ({@code --optimizer}, {@code --lr}, {@code --weight-decay},
 * {@code --no-bias-decay}), which {@link #optimizer} builds for each model, and the data's splits
 * (what a run may need besides its batches: a GAN's judge trains on the training split). A search
 * builds the run once per trial, with the trial's rate, batch and decay.
 */
public record RunSettings(int batch, int threads, long seed, String optimizer, double lr, double weightDecay, boolean noBiasDecay,
                          kiln.runtime.data.Splits data) {
    /**
     * The command line's optimizer for {@code model}'s trainable parameters, grouped by their
     * declared learning-rate scale and weight decay ({@link Optimizers#forModel}).
     */
    public Optimizer optimizer(CompiledModel model) {
        return Optimizers.forModel(optimizer, model, lr, weightDecay, noBiasDecay);
    }
}
