package kiln.runtime.optim;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;
import kiln.runtime.Param;
import kiln.runtime.parallel.WorkerPool;

/**
 * Adam in PyTorch's {@code torch.optim.Adam} form (amsgrad off). Per element, at step t (1-based),
 * with m = v = 0 before the first step:
 *
 * <pre>
 *   g  = g + weight_decay * p          (L2 penalty, PyTorch Adam style; not AdamW)
 *   m  = beta1 * m + (1 - beta1) * g
 *   v  = beta2 * v + (1 - beta2) * g * g
 *   p -= (lr / (1 - beta1^t)) * m / (sqrt(v) / sqrt(1 - beta2^t) + eps)
 * </pre>
 *
 * eps is added after bias-correcting sqrt(v), as PyTorch does. The bias corrections are computed
 * in double once per step. {@link ParamGroup}s may give parameters their own weight decay and lr
 * multiplier. State: {@code "<param>.adam_m"} and {@code "<param>.adam_v"}. For decoupled weight
 * decay see {@link AdamW}.
 */
public final class Adam implements Optimizer {
    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;

    private final Param[] params;
    private final GroupedParams groups;
    private final double beta1;
    private final double beta2;
    private final double eps;
    private final StateBuffers firstMoments;
    private final StateBuffers secondMoments;
    private final SlicedUpdate sliced;
    /** This step's bias corrections, set by {@link #step()} for the slices. */
    private double biasCorrection1;
    private float invSqrtBc2;
    private double lr;
    private long steps;

    public Adam(List<Param> params, double lr, double beta1, double beta2, double eps, double weightDecay) {
        this(checkedGroup(params, lr, beta1, beta2, eps, weightDecay), lr, beta1, beta2, eps);
    }

    /** One optimizer over several {@link ParamGroup}s, each with its own weight decay and lr multiplier. */
    public Adam(List<ParamGroup> groups, double lr, double beta1, double beta2, double eps) {
        this.lr = ArgumentChecks.positive("lr", lr);
        this.beta1 = ArgumentChecks.decayRate("beta1", beta1);
        this.beta2 = ArgumentChecks.decayRate("beta2", beta2);
        this.eps = ArgumentChecks.positive("eps", eps);
        this.groups = new GroupedParams(groups);
        this.params = this.groups.params;
        this.firstMoments = new StateBuffers(this.params, "adam_m");
        this.secondMoments = new StateBuffers(this.params, "adam_v");
        this.sliced = new SlicedUpdate(this.params, this::updateSlice);
    }

    /** Checks in the order the plain constructor always has, so its messages stay the same. */
    private static List<ParamGroup> checkedGroup(List<Param> params, double lr, double beta1, double beta2, double eps, double weightDecay) {
        ArgumentChecks.positive("lr", lr);
        ArgumentChecks.decayRate("beta1", beta1);
        ArgumentChecks.decayRate("beta2", beta2);
        ArgumentChecks.positive("eps", eps);
        return ParamGroup.single(params, weightDecay);
    }

    @Override
    public void step() {
        long t = steps + 1;
        biasCorrection1 = 1 - Math.pow(beta1, t);
        // Folded constants: p -= stepSize * m / (sqrt(v) * invSqrtBc2 + eps).
        invSqrtBc2 = (float) (1 / Math.sqrt(1 - Math.pow(beta2, t)));
        sliced.run();
        steps = t;
    }

    /** The update of elements [from, to) of parameter k: one worker's slice. */
    private void updateSlice(int k, int from, int to) {
        Param p = params[k];
        float stepSize = (float) (lr * groups.lrScale[k] / biasCorrection1);
        update(from, to, p.value, p.grad, firstMoments.data[k], secondMoments.data[k], (float) beta1, (float) (1 - beta1),
                (float) beta2, (float) (1 - beta2), stepSize, invSqrtBc2, (float) eps, (float) groups.weightDecay[k]);
    }

    /** The rule of the class comment over one tensor; vector body and scalar tail compute alike. */
    private static void update(int from, int to, float[] p, float[] g, float[] m, float[] v,
                               float b1, float oneMinusB1, float b2, float oneMinusB2,
                               float stepSize, float invSqrtBc2, float eps, float wd) {
        int i = from;
        int bound = from + SPECIES.loopBound(to - from);
        for (; i < bound; i += SPECIES.length()) {
            FloatVector pv = FloatVector.fromArray(SPECIES, p, i);
            FloatVector gv = FloatVector.fromArray(SPECIES, g, i).add(pv.mul(wd));
            FloatVector mv = FloatVector.fromArray(SPECIES, m, i).mul(b1).add(gv.mul(oneMinusB1));
            FloatVector vv = FloatVector.fromArray(SPECIES, v, i).mul(b2).add(gv.mul(gv).mul(oneMinusB2));
            mv.intoArray(m, i);
            vv.intoArray(v, i);
            FloatVector denom = vv.sqrt().mul(invSqrtBc2).add(eps);
            pv.sub(mv.mul(stepSize).div(denom)).intoArray(p, i);
        }
        for (; i < to; i++) {
            float gi = g[i] + p[i] * wd;
            float mi = m[i] * b1 + gi * oneMinusB1;
            float vi = v[i] * b2 + gi * gi * oneMinusB2;
            m[i] = mi;
            v[i] = vi;
            float denom = (float) Math.sqrt(vi) * invSqrtBc2 + eps;
            p[i] = p[i] - mi * stepSize / denom;
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

    /** Accepts 0 as well, unlike the constructor: schedules such as cosine annealing end there. */
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
        firstMoments.copyInto(out);
        secondMoments.copyInto(out);
        return out;
    }

    @Override
    public void loadState(Map<String, float[]> state, long steps) {
        StateBuffers.loadAll(state, steps, firstMoments, secondMoments);
        this.steps = steps;
    }

    @Override
    public List<Param> params() {
        return groups.list;
    }

    @Override
    public String describe() {
        return "adam(lr=" + lr + ", beta1=" + beta1 + ", beta2=" + beta2 + ", eps=" + eps
                + ", weight_decay=" + groups.describeWeightDecay() + ")";
    }
}
