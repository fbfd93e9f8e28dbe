package kiln.runtime.train;

import java.util.LinkedHashMap;
import java.util.Map;
import kiln.runtime.Param;

/**
 * The running state of {@link EarlyStopping} within one fit: the best figure, its epoch, the epochs
 * since, and a copy of the best weights (parameters and the model's state buffers), allocated once.
 */
final class EarlyStopper {
    static final String PREFIX = "early_stopping.";

    private final EarlyStopping rule;
    private final Monitor monitor;
    private final Param[] tensors;
    private final String[] names;
    private final float[][] best;
    private double bestValue = Double.NaN;
    private int bestEpoch;
    private int wait;
    private boolean stopped;

    /** Watches {@code tensors}, which a checkpoint keeps under {@code names}. */
    EarlyStopper(EarlyStopping rule, Monitor monitor, Param[] tensors, String[] names) {
        this.rule = rule;
        this.monitor = monitor;
        this.tensors = tensors;
        this.names = names;
        this.best = new float[tensors.length][];
        for (int k = 0; k < best.length; k++) best[k] = new float[tensors[k].size()];
    }

    /** After epoch {@code epoch} with validation figure {@code value}: true when it is a new best (whose weights are now kept). */
    boolean update(int epoch, double value) {
        if (monitor.improves(value, bestValue, rule.minDelta())) {
            bestValue = value;
            bestEpoch = epoch;
            wait = 0;
            for (int k = 0; k < best.length; k++) System.arraycopy(tensors[k].value, 0, best[k], 0, best[k].length);
            return true;
        }
        wait++;
        if (wait >= rule.patience()) stopped = true;
        return false;
    }

    boolean stopped() {
        return stopped;
    }

    int bestEpoch() {
        return bestEpoch;
    }

    double bestValue() {
        return bestValue;
    }

    int waited() {
        return wait;
    }

    EarlyStopping rule() {
        return rule;
    }

    /** Copies the best weights back into the model; false when there are none yet. */
    boolean restoreBest() {
        if (bestEpoch == 0) return false;
        for (int k = 0; k < best.length; k++) System.arraycopy(best[k], 0, tensors[k].value, 0, best[k].length);
        return true;
    }

    /** The best weights by tensor name, for a checkpoint's {@code best/} tensors; empty before the first epoch. */
    Map<String, float[]> bestWeights() {
        Map<String, float[]> out = new LinkedHashMap<>();
        if (bestEpoch == 0) return out;
        for (int k = 0; k < best.length; k++) out.put(names[k], best[k]);
        return out;
    }

    void exportState(Map<String, String> meta) {
        meta.put(PREFIX + "best", Double.toString(bestValue));
        meta.put(PREFIX + "best_epoch", Integer.toString(bestEpoch));
        meta.put(PREFIX + "wait", Integer.toString(wait));
        meta.put(PREFIX + "stopped", Boolean.toString(stopped));
    }

    /** Restores {@link #exportState} and the best weights; a checkpoint without them leaves a fresh state. */
    void restore(Map<String, String> meta, Map<String, float[]> bestWeights) {
        if (!meta.containsKey(PREFIX + "best_epoch")) return;
        int epoch = Integer.parseInt(meta.get(PREFIX + "best_epoch"));
        if (epoch > 0) {
            for (int k = 0; k < best.length; k++) {
                float[] saved = bestWeights.get(names[k]);
                if (saved == null || saved.length != best[k].length) {
                    throw new IllegalArgumentException("the checkpoint's best weights lack " + names[k]);
                }
                System.arraycopy(saved, 0, best[k], 0, saved.length);
            }
        }
        bestEpoch = epoch;
        bestValue = Double.parseDouble(meta.get(PREFIX + "best"));
        wait = Integer.parseInt(meta.get(PREFIX + "wait"));
        stopped = Boolean.parseBoolean(meta.get(PREFIX + "stopped"));
    }
}
