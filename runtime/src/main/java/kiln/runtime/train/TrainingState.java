package kiln.runtime.train;

/**
 * Where a training run stands, as saved in a checkpoint: {@code epoch} epochs are complete,
 * {@code step} optimizer steps have been taken, and {@code seed} drives the per-epoch shuffles
 * (so a resumed run shuffles as the uninterrupted run would have).
 */
public record TrainingState(int epoch, long step, long seed) {
    public TrainingState {
        if (epoch < 0) throw new IllegalArgumentException("epoch must be >= 0, got " + epoch);
        if (step < 0) throw new IllegalArgumentException("step must be >= 0, got " + step);
    }
}
