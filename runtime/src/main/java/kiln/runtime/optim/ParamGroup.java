package kiln.runtime.optim;

import java.util.ArrayList;
import java.util.List;
import kiln.runtime.Param;

/**
 * Parameters that share hyperparameters, as in PyTorch's {@code param_groups}: a group has its own
 * weight decay and a learning-rate multiplier (the rate a schedule sets is multiplied by it, so
 * schedules scale every group alike). The usual use is no weight decay on biases:
 * {@link #decayExceptBiases}.
 *
 * @param weightDecay the group's weight decay (L2 for SGD, Adam, RMSProp, Adagrad; decoupled for AdamW)
 * @param lrScale the group's learning rate is {@code lrScale} times the optimizer's
 */
public record ParamGroup(List<Param> params, double weightDecay, double lrScale) {
    public ParamGroup {
        params = java.util.Collections.unmodifiableList(new ArrayList<>(params)); // nulls are reported by the optimizer
        ArgumentChecks.nonNegative("weight_decay", weightDecay);
        ArgumentChecks.positive("lr_scale", lrScale);
    }

    /** One group holding every parameter: the optimizers' plain constructors use this. */
    public static List<ParamGroup> single(List<Param> params, double weightDecay) {
        return List.of(new ParamGroup(params, weightDecay, 1));
    }

    /**
     * Weight decay {@code weightDecay} on every parameter except biases ({@link Param#isBias}), which
     * get none; empty groups are left out. The recipe of most modern training code.
     */
    public static List<ParamGroup> decayExceptBiases(List<Param> params, double weightDecay) {
        List<Param> weights = new ArrayList<>(), biases = new ArrayList<>();
        for (Param p : params) (p.isBias ? biases : weights).add(p);
        List<ParamGroup> groups = new ArrayList<>();
        if (!weights.isEmpty()) groups.add(new ParamGroup(weights, weightDecay, 1));
        if (!biases.isEmpty()) groups.add(new ParamGroup(biases, 0, 1));
        return groups;
    }
}
