package kiln.runtime.optim;

import jdk.incubator.vector.FloatVector;
import kiln.runtime.Param;
import kiln.runtime.parallel.ParallelTask;
import kiln.runtime.parallel.WorkerPool;

/**
 * Runs an element-wise optimizer rule over every parameter, split between the workers of a pool:
 * worker w updates the same w-th slice of every tensor. An update streams the parameters, their
 * gradients and the optimizer state once, several MB for the MNIST MLP, so on one core it is
 * bound by that core's share of cache bandwidth (a fifth of a 2-thread MLP step ran here).
 *
 * <p>Slices start on whole vectors. Every rule computes its vector body and scalar tail with the
 * same float operations in the same order, so an element's result does not depend on the split:
 * one thread or two give identical parameters. Allocates nothing.
 */
final class SlicedUpdate implements ParallelTask {
    /** The rule on elements [from, to) of parameter k. */
    interface Rule {
        void update(int k, int from, int to);
    }

    /** Fewer elements than this run on the calling thread: waking a worker costs more. */
    static final int PARALLEL_MIN_ELEMENTS = 1 << 15;
    private static final int LANES = FloatVector.SPECIES_PREFERRED.length();

    private final Param[] params;
    private final Rule rule;
    private final long elements;
    private WorkerPool pool;

    SlicedUpdate(Param[] params, Rule rule) {
        this.params = params;
        this.rule = rule;
        long n = 0;
        for (Param p : params) n += p.value.length;
        this.elements = n;
    }

    /** Shares {@code pool}'s workers from the next update on; null runs on the calling thread only. */
    void useWorkers(WorkerPool pool) {
        this.pool = pool;
    }

    /** Applies the rule to every element of every parameter. */
    void run() {
        if (pool != null && pool.threads() > 1 && elements >= PARALLEL_MIN_ELEMENTS) pool.run(this);
        else run(0, 1);
    }

    @Override
    public void run(int worker, int workers) {
        for (int k = 0; k < params.length; k++) {
            int length = params[k].value.length;
            int from = sliceStart(length, worker, workers), to = sliceStart(length, worker + 1, workers);
            if (from < to) rule.update(k, from, to);
        }
    }

    private static int sliceStart(int length, int worker, int workers) {
        if (worker >= workers) return length;
        return (int) ((long) length * worker / workers) / LANES * LANES;
    }
}
