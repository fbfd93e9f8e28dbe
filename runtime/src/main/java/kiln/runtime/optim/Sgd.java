package kiln.runtime.optim;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;
import kiln.runtime.Param;
import kiln.runtime.parallel.WorkerPool;

/**
 * Stochastic gradient descent with optional momentum, Nesterov momentum and L2 weight decay, in
 * PyTorch's {@code torch.optim.SGD} form with dampening 0. Per element, at step t (1-based):
 *
 * <pre>
 *   d   = g + weight_decay * p
 *   buf = d                    if t == 1
 *   buf = momentum * buf + d   otherwise
 *   d   = d + momentum * buf   if nesterov, else d = buf      (only when momentum &gt; 0)
 *   p  -= lr * d
 * </pre>
 *
 * With momentum 0 there is no buffer and the update is {@code p -= lr * d}. Weight decay applies
 * to biases too, as in PyTorch, unless {@link ParamGroup}s say otherwise; a group's learning-rate
 * multiplier scales lr for its parameters. State: {@code "<param>.momentum"} when momentum &gt; 0.
 */
public final class Sgd implements Optimizer {
    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;

    private final Param[] params;
    private final GroupedParams groups;
    private final double momentum;
    private final boolean nesterov;
    /** Null when momentum is 0: plain SGD keeps no state. */
    private final StateBuffers momentumBuffers;
    private final SlicedUpdate sliced;
    private double lr;
    private long steps;

    public Sgd(List<Param> params, double lr, double momentum, double weightDecay, boolean nesterov) {
        this(checkedGroup(params, lr, momentum, weightDecay), lr, momentum, nesterov);
    }

    /** One optimizer over several {@link ParamGroup}s, each with its own weight decay and lr multiplier. */
    public Sgd(List<ParamGroup> groups, double lr, double momentum, boolean nesterov) {
        this.lr = ArgumentChecks.positive("lr", lr);
        this.momentum = ArgumentChecks.decayRate("momentum", momentum);
        if (nesterov && momentum == 0) {
            throw new IllegalArgumentException("nesterov requires momentum > 0, got momentum=" + momentum);
        }
        this.nesterov = nesterov;
        this.groups = new GroupedParams(groups);
        this.params = this.groups.params;
        this.momentumBuffers = momentum > 0 ? new StateBuffers(this.params, "momentum") : null;
        this.sliced = new SlicedUpdate(this.params, this::updateSlice);
    }

    /** Checks in the order the plain constructor always has, so its messages stay the same. */
    private static List<ParamGroup> checkedGroup(List<Param> params, double lr, double momentum, double weightDecay) {
        ArgumentChecks.positive("lr", lr);
        ArgumentChecks.decayRate("momentum", momentum);
        return ParamGroup.single(params, weightDecay);
    }

    @Override
    public void step() {
        sliced.run();
        steps++;
    }

    /** The update of elements [from, to) of parameter k: one worker's slice. */
    private void updateSlice(int k, int from, int to) {
        Param p = params[k];
        float lrF = (float) (lr * groups.lrScale[k]);
        float wdF = (float) groups.weightDecay[k];
        if (momentumBuffers == null) {
            plainStep(from, to, p.value, p.grad, lrF, wdF);
        } else {
            momentumStep(from, to, p.value, p.grad, momentumBuffers.data[k], lrF, wdF, (float) momentum, steps == 0, nesterov);
        }
    }

    // The vector body and the scalar tail do the same float operations in the same order (Java
    // never fuses a*b+c), so an element's result does not depend on where it falls in the array.

    /** p -= lr * (g + wd * p) over one tensor. */
    private static void plainStep(int from, int to, float[] p, float[] g, float lr, float wd) {
        int i = from;
        int bound = from + SPECIES.loopBound(to - from);
        for (; i < bound; i += SPECIES.length()) {
            FloatVector pv = FloatVector.fromArray(SPECIES, p, i);
            FloatVector d = FloatVector.fromArray(SPECIES, g, i).add(pv.mul(wd));
            pv.sub(d.mul(lr)).intoArray(p, i);
        }
        for (; i < to; i++) {
            float d = g[i] + p[i] * wd;
            p[i] = p[i] - d * lr;
        }
    }

    /** The momentum rule of the class comment over one tensor; {@code first} is step 1. */
    private static void momentumStep(int from, int to, float[] p, float[] g, float[] buf, float lr, float wd, float mu,
                                     boolean first, boolean nesterov) {
        int i = from;
        int bound = from + SPECIES.loopBound(to - from);
        for (; i < bound; i += SPECIES.length()) {
            FloatVector pv = FloatVector.fromArray(SPECIES, p, i);
            FloatVector d = FloatVector.fromArray(SPECIES, g, i).add(pv.mul(wd));
            FloatVector b = first ? d : FloatVector.fromArray(SPECIES, buf, i).mul(mu).add(d);
            b.intoArray(buf, i);
            FloatVector update = nesterov ? d.add(b.mul(mu)) : b;
            pv.sub(update.mul(lr)).intoArray(p, i);
        }
        for (; i < to; i++) {
            float d = g[i] + p[i] * wd;
            float b = first ? d : buf[i] * mu + d;
            buf[i] = b;
            float update = nesterov ? d + b * mu : b;
            p[i] = p[i] - update * lr;
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
        if (momentumBuffers != null) momentumBuffers.copyInto(out);
        return out;
    }

    @Override
    public void loadState(Map<String, float[]> state, long steps) {
        if (momentumBuffers == null) {
            StateBuffers.loadAll(state, steps);
        } else {
            StateBuffers.loadAll(state, steps, momentumBuffers);
        }
        this.steps = steps;
    }

    @Override
    public List<Param> params() {
        return groups.list;
    }

    @Override
    public String describe() {
        String wd = groups.describeWeightDecay();
        if (momentum == 0) return "sgd(lr=" + lr + ", weight_decay=" + wd + ")";
        return "sgd(lr=" + lr + ", momentum=" + momentum + ", nesterov=" + nesterov + ", weight_decay=" + wd + ")";
    }
}
