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

    /**
     * The groups the parameters' own declarations call for: those sharing a learning-rate scale
     * and a weight decay form one group, groups in the order of their first parameter. A
     * parameter's weight decay is its declared one ({@link Param#weightDecay}), else 0 for a bias
     * when {@code noBiasDecay}, else {@code weightDecay}; its scale is {@link Param#lrScale}. Frozen
     * parameters are left out: no optimizer takes them.
     *
     * @throws IllegalArgumentException when every parameter is frozen
     */
    public static List<ParamGroup> declared(List<Param> params, double weightDecay, boolean noBiasDecay) {
        List<Param> trainable = new ArrayList<>();
        for (Param p : params) if (!p.frozen()) trainable.add(p);
        if (trainable.isEmpty()) throw new IllegalArgumentException("every parameter is frozen: there is nothing to train");
        List<double[]> keys = new ArrayList<>();
        List<List<Param>> members = new ArrayList<>();
        for (Param p : trainable) {
            double decay = !Double.isNaN(p.weightDecay()) ? p.weightDecay() : noBiasDecay && p.isBias ? 0 : weightDecay;
            int g = 0;
            while (g < keys.size() && !(keys.get(g)[0] == decay && keys.get(g)[1] == p.lrScale())) g++;
            if (g == keys.size()) {
                keys.add(new double[] {decay, p.lrScale()});
                members.add(new ArrayList<>());
            }
            members.get(g).add(p);
        }
        List<ParamGroup> groups = new ArrayList<>();
        for (int g = 0; g < keys.size(); g++) groups.add(new ParamGroup(members.get(g), keys.get(g)[0], keys.get(g)[1]));
        return groups;
    }
}
