package kiln.runtime.optim;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;
import kiln.runtime.Param;
import kiln.runtime.parallel.WorkerPool;

/**
 * AdamW (Loshchilov and Hutter, decoupled weight decay) in PyTorch's {@code torch.optim.AdamW}
 * form (amsgrad off). Per element, at step t (1-based), with m = v = 0 before the first step:
 *
 * <pre>
 *   p  = p - lr * weight_decay * p     (decoupled: the decay never enters m or v)
 *   m  = beta1 * m + (1 - beta1) * g
 *   v  = beta2 * v + (1 - beta2) * g * g
 *   p -= (lr / (1 - beta1^t)) * m / (sqrt(v) / sqrt(1 - beta2^t) + eps)
 * </pre>
 *
 * The decay factor {@code 1 - lr * weight_decay} is computed in double once per tensor and step.
 * {@link ParamGroup}s may give parameters their own weight decay (commonly none on biases) and lr
 * multiplier. State: {@code "<param>.adamw_m"} and {@code "<param>.adamw_v"}.
 */
public final class AdamW implements Optimizer {
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

    public AdamW(List<Param> params, double lr, double beta1, double beta2, double eps, double weightDecay) {
        this(ParamGroup.single(params, weightDecay), lr, beta1, beta2, eps);
    }

    public AdamW(List<ParamGroup> groups, double lr, double beta1, double beta2, double eps) {
        this.lr = ArgumentChecks.positive("lr", lr);
        this.beta1 = ArgumentChecks.decayRate("beta1", beta1);
        this.beta2 = ArgumentChecks.decayRate("beta2", beta2);
        this.eps = ArgumentChecks.positive("eps", eps);
        this.groups = new GroupedParams(groups);
        this.params = this.groups.params;
        this.firstMoments = new StateBuffers(params, "adamw_m");
        this.secondMoments = new StateBuffers(params, "adamw_v");
        this.sliced = new SlicedUpdate(this.params, this::updateSlice);
    }

    @Override
    public void step() {
        long t = steps + 1;
        biasCorrection1 = 1 - Math.pow(beta1, t);
        invSqrtBc2 = (float) (1 / Math.sqrt(1 - Math.pow(beta2, t)));
        sliced.run();
        steps = t;
    }

    /** The update of elements [from, to) of parameter k: one worker's slice. */
    private void updateSlice(int k, int from, int to) {
        Param p = params[k];
        double groupLr = lr * groups.lrScale[k];
        float decay = (float) (1 - groupLr * groups.weightDecay[k]);
        float stepSize = (float) (groupLr / biasCorrection1);
        update(from, to, p.value, p.grad, firstMoments.data[k], secondMoments.data[k], (float) beta1, (float) (1 - beta1),
                (float) beta2, (float) (1 - beta2), stepSize, invSqrtBc2, (float) eps, decay);
    }

    /** The rule of the class comment over one tensor; vector body and scalar tail compute alike. */
    private static void update(int from, int to, float[] p, float[] g, float[] m, float[] v,
                               float b1, float oneMinusB1, float b2, float oneMinusB2,
                               float stepSize, float invSqrtBc2, float eps, float decay) {
        int i = from;
        int bound = from + SPECIES.loopBound(to - from);
        for (; i < bound; i += SPECIES.length()) {
            FloatVector pv = FloatVector.fromArray(SPECIES, p, i).mul(decay);
            FloatVector gv = FloatVector.fromArray(SPECIES, g, i);
            FloatVector mv = FloatVector.fromArray(SPECIES, m, i).mul(b1).add(gv.mul(oneMinusB1));
            FloatVector vv = FloatVector.fromArray(SPECIES, v, i).mul(b2).add(gv.mul(gv).mul(oneMinusB2));
            mv.intoArray(m, i);
            vv.intoArray(v, i);
            FloatVector denom = vv.sqrt().mul(invSqrtBc2).add(eps);
            pv.sub(mv.mul(stepSize).div(denom)).intoArray(p, i);
        }
        for (; i < to; i++) {
            float pi = p[i] * decay;
            float gi = g[i];
            float mi = m[i] * b1 + gi * oneMinusB1;
            float vi = v[i] * b2 + gi * gi * oneMinusB2;
            m[i] = mi;
            v[i] = vi;
            float denom = (float) Math.sqrt(vi) * invSqrtBc2 + eps;
            p[i] = pi - mi * stepSize / denom;
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
        return "adamw(lr=" + lr + ", beta1=" + beta1 + ", beta2=" + beta2 + ", eps=" + eps
                + ", weight_decay=" + groups.describeWeightDecay() + ")";
    }
}
