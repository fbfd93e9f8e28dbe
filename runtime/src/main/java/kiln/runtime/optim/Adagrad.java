package kiln.runtime.optim;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;
import kiln.runtime.Param;
import kiln.runtime.parallel.WorkerPool;

/**
 * Adagrad in PyTorch's {@code torch.optim.Adagrad} form (defaults: lr_decay 0, initial accumulator
 * 0, eps 1e-10). Per element, at step t (1-based):
 *
 * <pre>
 *   clr = lr / (1 + (t - 1) * lr_decay)
 *   g   = g + weight_decay * p
 *   sum = sum + g * g                        (sum starts at initial_accumulator_value)
 *   p  -= clr * g / (sqrt(sum) + eps)
 * </pre>
 *
 * State: {@code "<param>.adagrad_sum"}.
 */
public final class Adagrad implements Optimizer {
    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    /** PyTorch's default. */
    public static final double DEFAULT_EPS = 1e-10;

    private final Param[] params;
    private final GroupedParams groups;
    private final double lrDecay;
    private final double eps;
    private final double initialAccumulator;
    private final StateBuffers sums;
    private final SlicedUpdate sliced;
    /** This step's decayed learning rate, set by {@link #step()} for the slices. */
    private double decayedLr;
    private double lr;
    private long steps;

    public Adagrad(List<Param> params, double lr, double lrDecay, double weightDecay, double initialAccumulator, double eps) {
        this(ParamGroup.single(params, weightDecay), lr, lrDecay, initialAccumulator, eps);
    }

    public Adagrad(List<ParamGroup> groups, double lr, double lrDecay, double initialAccumulator, double eps) {
        this.lr = ArgumentChecks.positive("lr", lr);
        this.lrDecay = ArgumentChecks.nonNegative("lr_decay", lrDecay);
        this.initialAccumulator = ArgumentChecks.nonNegative("initial_accumulator_value", initialAccumulator);
        this.eps = ArgumentChecks.positive("eps", eps);
        this.groups = new GroupedParams(groups);
        this.params = this.groups.params;
        this.sums = new StateBuffers(params, "adagrad_sum");
        this.sliced = new SlicedUpdate(this.params, this::updateSlice);
        for (float[] s : sums.data) java.util.Arrays.fill(s, (float) initialAccumulator);
    }

    @Override
    public void step() {
        decayedLr = lr / (1 + steps * lrDecay);
        sliced.run();
        steps++;
    }

    /** The update of elements [from, to) of parameter k: one worker's slice. */
    private void updateSlice(int k, int from, int to) {
        Param p = params[k];
        update(from, to, p.value, p.grad, sums.data[k], (float) (decayedLr * groups.lrScale[k]), (float) groups.weightDecay[k], (float) eps);
    }

    private static void update(int from, int to, float[] p, float[] g, float[] sum, float lr, float wd, float eps) {
        int i = from;
        int bound = from + SPECIES.loopBound(to - from);
        for (; i < bound; i += SPECIES.length()) {
            FloatVector pv = FloatVector.fromArray(SPECIES, p, i);
            FloatVector gv = FloatVector.fromArray(SPECIES, g, i).add(pv.mul(wd));
            FloatVector s = FloatVector.fromArray(SPECIES, sum, i).add(gv.mul(gv));
            s.intoArray(sum, i);
            pv.sub(gv.mul(lr).div(s.sqrt().add(eps))).intoArray(p, i);
        }
        for (; i < to; i++) {
            float gi = g[i] + p[i] * wd;
            float s = sum[i] + gi * gi;
            sum[i] = s;
            p[i] = p[i] - gi * lr / ((float) Math.sqrt(s) + eps);
        }
    }

    @Override
    public void useWorkers(WorkerPool pool) {
        sliced.useWorkers(pool);
    }

    @Override
    public double learningRate() {
        return lr;
    }

    @Override
    public void setLearningRate(double lr) {
        this.lr = ArgumentChecks.nonNegative("lr", lr);
    }

    @Override
    public long steps() {
        return steps;
    }

    @Override
    public Map<String, float[]> state() {
        Map<String, float[]> out = new LinkedHashMap<>();
        sums.copyInto(out);
        return out;
    }

    @Override
    public void loadState(Map<String, float[]> state, long steps) {
        StateBuffers.loadAll(state, steps, sums);
        this.steps = steps;
    }

    @Override
    public List<Param> params() {
        return groups.list;
    }

    @Override
    public String describe() {
        return "adagrad(lr=" + lr + ", lr_decay=" + lrDecay + ", eps=" + eps + ", initial_accumulator_value=" + initialAccumulator
                + ", weight_decay=" + groups.describeWeightDecay() + ")";
    }
}
