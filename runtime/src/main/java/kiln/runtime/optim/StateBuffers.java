package kiln.runtime.optim;

import java.util.Map;
import kiln.runtime.Param;

/**
 * One float buffer per parameter, the same size as it (e.g. Adam's first moment), zero at the
 * start, and named {@code "<param>.<suffix>"} in checkpoints.
 */
final class StateBuffers {
    private final String[] keys;
    /** data[k] belongs to the k-th parameter; the optimizers update it in place. */
    final float[][] data;

    StateBuffers(Param[] params, String suffix) {
        keys = new String[params.length];
        data = new float[params.length][];
        for (int k = 0; k < params.length; k++) {
            keys[k] = params[k].name + "." + suffix;
            data[k] = new float[params[k].size()];
        }
    }

    /** Adds a copy of every buffer to {@code out}. */
    void copyInto(Map<String, float[]> out) {
        for (int k = 0; k < keys.length; k++) out.put(keys[k], data[k].clone());
    }

    /** Throws unless {@code state} has every key here with the right length; changes nothing. */
    void checkLoadable(Map<String, float[]> state) {
        for (int k = 0; k < keys.length; k++) {
            float[] saved = state.get(keys[k]);
            if (saved == null) {
                throw new IllegalArgumentException("optimizer state has no tensor '" + keys[k] + "'; it has " + state.keySet());
            }
            if (saved.length != data[k].length) {
                throw new IllegalArgumentException("optimizer state tensor '" + keys[k] + "' has " + saved.length
                        + " floats; the parameter has " + data[k].length);
            }
        }
    }

    boolean owns(String key) {
        for (String k : keys) if (k.equals(key)) return true;
        return false;
    }

    /** Copies the saved tensors in; call {@link #checkLoadable} first. */
    void loadFrom(Map<String, float[]> state) {
        for (int k = 0; k < keys.length; k++) {
            System.arraycopy(state.get(keys[k]), 0, data[k], 0, data[k].length);
        }
    }

    /**
     * The shared part of {@link Optimizer#loadState}: checks the whole map against every buffer
     * set (so a bad checkpoint changes nothing), including keys that no set owns, then loads.
     */
    static void loadAll(Map<String, float[]> state, long steps, StateBuffers... sets) {
        if (steps < 0) throw new IllegalArgumentException("steps must be >= 0, got " + steps);
        for (StateBuffers set : sets) set.checkLoadable(state);
        for (String key : state.keySet()) {
            boolean owned = false;
            for (StateBuffers set : sets) owned |= set.owns(key);
            // A foreign key usually means a checkpoint from another optimizer (say Adam into SGD).
            if (!owned) throw new IllegalArgumentException("optimizer state tensor '" + key + "' does not belong to this optimizer");
        }
        for (StateBuffers set : sets) set.loadFrom(state);
    }
}
