package kiln.ir;

/**
 * What a declaration says about a node beyond its op: whether it is an output, and how its
 * parameters train (frozen, learning-rate scale, weight decay; NaN: the run's), or whose they are
 * (shared with another node's, or a dense weight that is another dense's transposed).
 */
public record NodeOptions(boolean output, boolean frozen, double lrScale, double weightDecay, String sharedWith,
                          String transposeOf) {
    public static final NodeOptions NONE = new NodeOptions(false, false, 1, Double.NaN, null, null);

    public NodeOptions {
        if (sharedWith != null && sharedWith.isEmpty()) sharedWith = null;
        if (transposeOf != null && transposeOf.isEmpty()) transposeOf = null;
    }

    public NodeOptions asOutput() {
        return new NodeOptions(true, frozen, lrScale, weightDecay, sharedWith, transposeOf);
    }

    /** Whether the node's parameters are another node's. */
    public boolean borrowsParams() {
        return sharedWith != null || transposeOf != null;
    }

    /** Whether any training setting differs from the default. */
    public boolean hasParamSettings() {
        return frozen || lrScale != 1 || !Double.isNaN(weightDecay);
    }
}
