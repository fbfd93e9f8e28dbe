package kiln.runtime.train;

import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import kiln.runtime.optim.LearningRateSchedule;

/**
 * How to run {@link Trainer#fit}: train until {@code epochs} epochs are complete, in mini-batches
 * of {@code batch} (a text: {@code batch} parallel streams), shuffling (a text: placing each
 * epoch's chunks) with {@code seed}. {@code save}, when not null, receives a checkpoint
 * after every epoch (and every {@code saveEvery} steps when that is above 0); {@code resume}, when
 * not null, is loaded first and training continues where it stood.
 *
 * <p>The rest is optional, set with the {@code with...} methods: a learning-rate {@code schedule}
 * (null: constant; give each fit its own, since a plateau schedule keeps state), {@code earlyStopping}
 * (null: off), the validation figure they and the best weights {@code monitor}, gradient clipping
 * by global norm and by value (0: off; applied to each optimizer's parameters as it updates), where the metrics {@code log} and the curves {@code plot}
 * go (null: next to {@code save}, if any), {@code quiet} (no progress or epoch lines, as for
 * search trials), {@code test} (whether to evaluate the test split at the end) and extra checkpoint
 * {@code metadata}.
 */
public record TrainConfig(
        int epochs,
        int batch,
        long seed,
        Path save,
        Path resume,
        LearningRateSchedule schedule,
        EarlyStopping earlyStopping,
        Monitor monitor,
        double clipNorm,
        double clipValue,
        int saveEvery,
        Path log,
        Path plot,
        boolean quiet,
        boolean test,
        Map<String, String> metadata) {
    public TrainConfig {
        if (epochs < 1) throw new IllegalArgumentException("epochs must be >= 1, got " + epochs);
        if (batch < 1) throw new IllegalArgumentException("batch must be >= 1, got " + batch);
        Objects.requireNonNull(monitor, "monitor");
        if (!(clipNorm >= 0) || Double.isInfinite(clipNorm)) throw new IllegalArgumentException("clipNorm must be >= 0, got " + clipNorm);
        if (!(clipValue >= 0) || Double.isInfinite(clipValue)) throw new IllegalArgumentException("clipValue must be >= 0, got " + clipValue);
        if (saveEvery < 0) throw new IllegalArgumentException("saveEvery must be >= 0 steps, got " + saveEvery);
        metadata = Map.copyOf(metadata);
    }

    /** The plain run: constant rate, no early stopping or clipping, checkpoints at epoch ends. */
    public TrainConfig(int epochs, int batch, long seed, Path save, Path resume) {
        this(epochs, batch, seed, save, resume, null, null, Monitor.LOSS, 0, 0, 0, null, null, false, true, Map.of());
    }

    public TrainConfig withSchedule(LearningRateSchedule schedule) {
        return new TrainConfig(epochs, batch, seed, save, resume, schedule, earlyStopping, monitor, clipNorm, clipValue, saveEvery,
                log, plot, quiet, test, metadata);
    }

    public TrainConfig withEarlyStopping(EarlyStopping earlyStopping) {
        return new TrainConfig(epochs, batch, seed, save, resume, schedule, earlyStopping, monitor, clipNorm, clipValue, saveEvery,
                log, plot, quiet, test, metadata);
    }

    public TrainConfig withMonitor(Monitor monitor) {
        return new TrainConfig(epochs, batch, seed, save, resume, schedule, earlyStopping, monitor, clipNorm, clipValue, saveEvery,
                log, plot, quiet, test, metadata);
    }

    /** Clipping by global norm (PyTorch's clip_grad_norm_) and by value (clip_grad_value_); 0 turns either off. */
    public TrainConfig withClipping(double clipNorm, double clipValue) {
        return new TrainConfig(epochs, batch, seed, save, resume, schedule, earlyStopping, monitor, clipNorm, clipValue, saveEvery,
                log, plot, quiet, test, metadata);
    }

    /** Also checkpoint every {@code saveEvery} steps within epochs (0: only at epoch ends). */
    public TrainConfig withSaveEvery(int saveEvery) {
        return new TrainConfig(epochs, batch, seed, save, resume, schedule, earlyStopping, monitor, clipNorm, clipValue, saveEvery,
                log, plot, quiet, test, metadata);
    }

    /** Where the metrics log and the curves PNG go; either may be null (then next to the checkpoint, if any). */
    public TrainConfig withLog(Path log, Path plot) {
        return new TrainConfig(epochs, batch, seed, save, resume, schedule, earlyStopping, monitor, clipNorm, clipValue, saveEvery,
                log, plot, quiet, test, metadata);
    }

    /** A search trial: no log lines, no files, no test evaluation. */
    public TrainConfig asTrial() {
        return new TrainConfig(epochs, batch, seed, null, null, schedule, earlyStopping, monitor, clipNorm, clipValue, 0,
                null, null, true, false, metadata);
    }

    /** Extra checkpoint metadata for the caller's own use (say, the model's sizes); keys must not clash with the trainer's. */
    public TrainConfig withMetadata(Map<String, String> metadata) {
        return new TrainConfig(epochs, batch, seed, save, resume, schedule, earlyStopping, monitor, clipNorm, clipValue, saveEvery,
                log, plot, quiet, test, metadata);
    }

    /** The metrics log: {@code log}, else {@code <save stem>.metrics.csv}, else null (none). */
    public Path logFile() {
        if (log != null) return log;
        return save == null ? null : MetricsLog.sibling(save, ".metrics.csv");
    }

    /** The curves PNG: {@code plot}, else {@code <save stem>.curves.png}, else {@code <log stem>.png}, else null (none). */
    public Path plotFile() {
        if (plot != null) return plot;
        if (save != null) return MetricsLog.sibling(save, ".curves.png");
        return log == null ? null : MetricsLog.sibling(log, ".png");
    }
}
