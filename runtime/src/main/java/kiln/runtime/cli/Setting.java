package kiln.runtime.cli;

import java.util.Map;

/** One hyperparameter setting to train with: the command line's, or a search trial's. */
record Setting(Map<String, Integer> sizes, double lr, int batch, double weightDecay, long seed) {
    /** {@code hidden=64,depth=2}: how a checkpoint records the sizes. */
    String formatSizes() {
        StringBuilder b = new StringBuilder();
        sizes.forEach((k, v) -> b.append(b.length() == 0 ? "" : ",").append(k).append('=').append(v));
        return b.toString();
    }
}
