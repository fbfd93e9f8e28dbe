package kiln.runtime.optim;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import kiln.runtime.Param;

/**
 * {@link ParamGroup}s flattened for a step loop: the parameters as one array and, index for
 * index, each one's weight decay and learning-rate multiplier. A step indexes the arrays and
 * allocates nothing.
 */
final class GroupedParams {
    final Param[] params;
    /** The same parameters as an unmodifiable list, for {@link Optimizer#params()}. */
    final List<Param> list;
    final double[] weightDecay;
    final double[] lrScale;
    private final List<ParamGroup> groups;

    GroupedParams(List<ParamGroup> groups) {
        if (groups.isEmpty()) throw new IllegalArgumentException("no parameter groups");
        List<Param> all = new ArrayList<>();
        for (ParamGroup g : groups) all.addAll(g.params());
        this.params = ArgumentChecks.distinctParams(all);
        this.list = List.of(params);
        this.weightDecay = new double[params.length];
        this.lrScale = new double[params.length];
        int k = 0;
        for (ParamGroup g : groups) {
            for (int i = 0; i < g.params().size(); i++, k++) {
                weightDecay[k] = g.weightDecay();
                lrScale[k] = g.lrScale();
            }
        }
        this.groups = List.copyOf(groups);
    }

    /**
     * The weight decay for {@code describe()}: {@code "5.0E-4"} for one group, else one entry per
     * group, e.g. {@code "[5.0E-4 on 2 tensors, 0.0 on 2 tensors]"} (with {@code "x0.1 lr"} where scaled).
     */
    String describeWeightDecay() {
        if (groups.size() == 1 && groups.get(0).lrScale() == 1) return Double.toString(groups.get(0).weightDecay());
        StringBuilder b = new StringBuilder("[");
        for (ParamGroup g : groups) {
            if (b.length() > 1) b.append(", ");
            b.append(g.weightDecay()).append(" on ").append(g.params().size()).append(g.params().size() == 1 ? " tensor" : " tensors");
            if (g.lrScale() != 1) b.append(String.format(Locale.ROOT, " at x%s lr", g.lrScale()));
        }
        return b.append(']').toString();
    }
}
