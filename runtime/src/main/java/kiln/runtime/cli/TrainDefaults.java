package kiln.runtime.cli;

/**
 * A model's default training settings, what its {@code @Model} declares, used for every option the
 * command line leaves out. {@code optimizer} is one of {@link kiln.dsl.TrainingNames#OPTIMIZERS};
 * {@code schedule} is a {@code --schedule} spec, or null for a constant rate; {@code clipNorm} the
 * largest global gradient norm, 0 for no clipping (recurrent language models declare 5). For a
 * language model {@code batch} is the number of parallel streams the text is read in.
 */
public record TrainDefaults(int epochs, int batch, double lr, String optimizer, double weightDecay, long seed,
                            String schedule, double clipNorm) {
    public TrainDefaults {
        if (!(clipNorm >= 0) || Double.isInfinite(clipNorm)) throw new IllegalArgumentException("clipNorm must be >= 0, got " + clipNorm);
    }

    /** Defaults without gradient clipping. */
    public TrainDefaults(int epochs, int batch, double lr, String optimizer, double weightDecay, long seed, String schedule) {
        this(epochs, batch, lr, optimizer, weightDecay, seed, schedule, 0);
    }

    /** Defaults with a constant learning rate and without gradient clipping. */
    public TrainDefaults(int epochs, int batch, double lr, String optimizer, double weightDecay, long seed) {
        this(epochs, batch, lr, optimizer, weightDecay, seed, null, 0);
    }
}
