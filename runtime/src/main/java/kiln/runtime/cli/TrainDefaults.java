package kiln.runtime.cli;

/**
 * A model's default training settings, used for every option the command line leaves out.
 * {@code optimizer} is one of sgd, momentum, nesterov, adam, adamw, rmsprop, adagrad.
 */
public record TrainDefaults(int epochs, int batch, double lr, String optimizer, double weightDecay, long seed) {}
