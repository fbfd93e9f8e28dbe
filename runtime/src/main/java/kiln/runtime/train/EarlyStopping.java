package kiln.runtime.train;

/**
 * Stop when the monitored validation figure has not improved by more than {@code minDelta} for
 * {@code patience} epochs in a row, and end with the weights of the best epoch (Keras's
 * {@code EarlyStopping(patience, min_delta, restore_best_weights=True)}). The trainer keeps a copy
 * of the best weights and saves it in checkpoints, so a resumed run stops where an uninterrupted
 * one would.
 */
public record EarlyStopping(int patience, double minDelta) {
    public EarlyStopping {
        if (patience < 1) throw new IllegalArgumentException("patience must be >= 1 epoch, got " + patience);
        if (!(minDelta >= 0) || Double.isInfinite(minDelta)) throw new IllegalArgumentException("min_delta must be >= 0, got " + minDelta);
    }

    public String describe() {
        return "early stopping(patience=" + patience + ", min_delta=" + minDelta + ")";
    }
}
