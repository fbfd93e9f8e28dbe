package kiln.runtime.train;

import java.nio.file.Path;

/**
 * How to run {@link Trainer#fit}: train until {@code epochs} epochs are complete, in mini-batches
 * of {@code batch}, shuffling with {@code seed}. {@code save}, when not null, receives a checkpoint
 * after every epoch; {@code resume}, when not null, is loaded first and training continues with
 * the epoch after the one it holds.
 */
public record TrainConfig(int epochs, int batch, long seed, Path save, Path resume) {
    public TrainConfig {
        if (epochs < 1) throw new IllegalArgumentException("epochs must be >= 1, got " + epochs);
        if (batch < 1) throw new IllegalArgumentException("batch must be >= 1, got " + batch);
    }
}
