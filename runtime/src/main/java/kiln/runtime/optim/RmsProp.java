package kiln.runtime.optim;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;
import kiln.runtime.Param;
import kiln.runtime.parallel.WorkerPool;

/**
 * RMSProp in PyTorch's {@code torch.optim.RMSprop} form (defaults alpha 0.99, eps 1e-8, momentum 0,
 * not centered). Per element, with every buffer 0 before the first step:
 *
 * <pre>
 *   g   = g + weight_decay * p
 *   v   = alpha * v + (1 - alpha) * g * g
 *   avg = sqrt(v) + eps                                  (not centered)
 *   ga  = alpha * ga + (1 - alpha) * g;  avg = sqrt(v - ga * ga) + eps     (centered)
 *   buf = momentum * buf + g / avg;  p -= lr * buf         (momentum &gt; 0)
 *   p  -= lr * g / avg                                     (momentum 0)
 * </pre>
 *
 * State: {@code "<param>.rmsprop_square_avg"}, plus {@code ".rmsprop_momentum"} when momentum &gt; 0
 * and {@code ".rmsprop_grad_avg"} when centered.
 */
public final class RmsProp implements Optimizer {
    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    /** PyTorch's defaults. */
    public static final double DEFAULT_ALPHA = 0.99, DEFAULT_EPS = 1e-8;

    private final Param[] params;
    private final GroupedParams groups;
    private final double alpha;
    private final double eps;
    private final double momentum;
    private final boolean centered;
    private final StateBuffers squareAverages;
    /** Null when momentum is 0. */
    private final StateBuffers momentumBuffers;
    /** Null unless centered. */
    private final StateBuffers gradAverages;
    private final SlicedUpdate sliced;
    private double lr;
    private long steps;

    public RmsProp(List<Param> params, double lr, double alpha, double eps, double weightDecay, double momentum, boolean centered) {
        this(ParamGroup.single(params, weightDecay), lr, alpha, eps, momentum, centered);
    }

    public RmsProp(List<ParamGroup> groups, double lr, double alpha, double eps, double momentum, boolean centered) {
        this.lr = ArgumentChecks.positive("lr", lr);
        this.alpha = ArgumentChecks.decayRate("alpha", alpha);
        this.eps = ArgumentChecks.positive("eps", eps);
        this.momentum = ArgumentChecks.decayRate("momentum", momentum);
        this.centered = centered;
        this.groups = new GroupedParams(groups);
        this.params = this.groups.params;
        this.squareAverages = new StateBuffers(params, "rmsprop_square_avg");
        this.momentumBuffers = momentum > 0 ? new StateBuffers(params, "rmsprop_momentum") : null;
        this.gradAverages = centered ? new StateBuffers(params, "rmsprop_grad_avg") : null;
        this.sliced = new SlicedUpdate(this.params, this::updateSlice);
    }

    @Override
    public void step() {
        sliced.run();
        steps++;
    }

    /** The update of elements [from, to) of parameter k: one worker's slice. */
    private void updateSlice(int k, int from, int to) {
        Param p = params[k];
        update(from, to, p.value, p.grad, squareAverages.data[k],
                momentumBuffers == null ? null : momentumBuffers.data[k], gradAverages == null ? null : gradAverages.data[k],
                (float) (lr * groups.lrScale[k]), (float) groups.weightDecay[k], (float) alpha, (float) (1 - alpha),
                (float) eps, (float) momentum);
    }

    /** The rule of the class comment over one tensor; {@code buf} / {@code ga} are null when unused. */
    private static void update(int from, int to, float[] p, float[] g, float[] v, float[] buf, float[] ga,
                               float lr, float wd, float a, float oneMinusA, float eps, float mu) {
        int i = from;
        int bound = from + SPECIES.loopBound(to - from);
        for (; i < bound; i += SPECIES.length()) {
            FloatVector pv = FloatVector.fromArray(SPECIES, p, i);
            FloatVector gv = FloatVector.fromArray(SPECIES, g, i).add(pv.mul(wd));
            FloatVector vv = FloatVector.fromArray(SPECIES, v, i).mul(a).add(gv.mul(gv).mul(oneMinusA));
            vv.intoArray(v, i);
            FloatVector avg;
            if (ga != null) {
                FloatVector gav = FloatVector.fromArray(SPECIES, ga, i).mul(a).add(gv.mul(oneMinusA));
                gav.intoArray(ga, i);
                avg = vv.sub(gav.mul(gav)).sqrt().add(eps);
            } else {
                avg = vv.sqrt().add(eps);
            }
            if (buf != null) {
                FloatVector b = FloatVector.fromArray(SPECIES, buf, i).mul(mu).add(gv.div(avg));
                b.intoArray(buf, i);
                pv.sub(b.mul(lr)).intoArray(p, i);
            } else {
                pv.sub(gv.div(avg).mul(lr)).intoArray(p, i);
            }
        }
        for (; i < to; i++) {
            float gi = g[i] + p[i] * wd;
            float vi = v[i] * a + gi * gi * oneMinusA;
            v[i] = vi;
            float avg;
            if (ga != null) {
                float gai = ga[i] * a + gi * oneMinusA;
                ga[i] = gai;
                avg = (float) Math.sqrt(vi - gai * gai) + eps;
            } else {
                avg = (float) Math.sqrt(vi) + eps;
            }
            if (buf != null) {
                float b = buf[i] * mu + gi / avg;
                buf[i] = b;
                p[i] = p[i] - b * lr;
            } else {
                p[i] = p[i] - gi / avg * lr;
            }
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
        squareAverages.copyInto(out);
        if (momentumBuffers != null) momentumBuffers.copyInto(out);
        if (gradAverages != null) gradAverages.copyInto(out);
        return out;
    }

    @Override
    public void loadState(Map<String, float[]> state, long steps) {
        if (momentumBuffers != null && gradAverages != null) {
            StateBuffers.loadAll(state, steps, squareAverages, momentumBuffers, gradAverages);
        } else if (momentumBuffers != null) {
            StateBuffers.loadAll(state, steps, squareAverages, momentumBuffers);
        } else if (gradAverages != null) {
            StateBuffers.loadAll(state, steps, squareAverages, gradAverages);
        } else {
            StateBuffers.loadAll(state, steps, squareAverages);
        }
        this.steps = steps;
    }

    @Override
    public List<Param> params() {
        return groups.list;
    }

    @Override
    public String describe() {
        return "rmsprop(lr=" + lr + ", alpha=" + alpha + ", eps=" + eps + ", momentum=" + momentum + ", centered=" + centered
                + ", weight_decay=" + groups.describeWeightDecay() + ")";
    }
}
