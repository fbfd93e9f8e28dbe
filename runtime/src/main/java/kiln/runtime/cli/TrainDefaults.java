package kiln.runtime.cli;

/**
 * A model's default training settings, used for every option the command line leaves out.
 * {@code optimizer} is one of sgd, momentum, nesterov, adam, adamw, rmsprop, adagrad;
 * {@code schedule} is a {@code --schedule} spec, or null for a constant rate.
 */
public record TrainDefaults(int epochs, int batch, double lr, String optimizer, double weightDecay, long seed,
                            String schedule) {
    /** Defaults with a constant learning rate. */
    public TrainDefaults(int epochs, int batch, double lr, String optimizer, double weightDecay, long seed) {
        this(epochs, batch, lr, optimizer, weightDecay, seed, null);
    }
}
