package kiln.runtime.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import com.sun.management.ThreadMXBean;
import java.lang.management.ManagementFactory;
import java.util.List;
import kiln.runtime.Param;
import org.junit.jupiter.api.Test;

/**
 * step() allocates nothing once compiled. Before the JIT (C2) compiles the loops, the Vector API
 * boxes vectors on the heap, so the check warms up first and then looks for an allocation-free
 * window; steady state is what a training loop sees.
 */
class StepAllocationTest {
    private static final ThreadMXBean THREADS = (ThreadMXBean) ManagementFactory.getThreadMXBean();
    private static final int WARM_UP_STEPS = 20_000;
    private static final int MEASURED_STEPS = 1_000;
    /**
     * Warm-up is counted in time as well as in steps: a small step runs 200,000 times in tens of
     * milliseconds, and when the JIT's queue is long (a test JVM that has loaded much else) C2 can
     * take longer than that to compile it; until then the vectors are boxed.
     */
    private static final long WARM_UP_NANOS = 20_000_000_000L;
    private static final int MIN_ATTEMPTS = 10;

    private static void assertStepAllocatesNothing(Optimizer opt, List<Param> params) {
        SampleParams.setGrads(params, 1);
        assertStepsAllocateNothing(opt);
    }

    private static void assertStepsAllocateNothing(Optimizer opt) {
        long allocated = -1, began = System.nanoTime();
        int attempts = 0;
        while (attempts < MIN_ATTEMPTS || System.nanoTime() - began < WARM_UP_NANOS) {
            attempts++;
            for (int i = 0; i < WARM_UP_STEPS; i++) opt.step();
            long start = THREADS.getCurrentThreadAllocatedBytes();
            for (int i = 0; i < MEASURED_STEPS; i++) opt.step();
            allocated = THREADS.getCurrentThreadAllocatedBytes() - start;
            if (allocated == 0) return;
        }
        fail(opt.describe() + " still allocated " + allocated + " bytes in " + MEASURED_STEPS + " steps after "
                + (long) attempts * WARM_UP_STEPS + " warm-up steps and " + (System.nanoTime() - began) / 1_000_000 + " ms");
    }

    @Test
    void allocationCounterItselfAllocatesNothing() {
        THREADS.getCurrentThreadAllocatedBytes();
        long a = THREADS.getCurrentThreadAllocatedBytes();
        long b = THREADS.getCurrentThreadAllocatedBytes();
        assertEquals(0, b - a);
    }

    @Test
    void plainSgdStepAllocatesNothing() {
        List<Param> params = SampleParams.create();
        assertStepAllocatesNothing(new Sgd(params, 1e-4, 0, 5e-4, false), params);
    }

    @Test
    void momentumSgdStepAllocatesNothing() {
        List<Param> params = SampleParams.create();
        assertStepAllocatesNothing(new Sgd(params, 1e-4, 0.9, 5e-4, false), params);
    }

    @Test
    void nesterovSgdStepAllocatesNothing() {
        List<Param> params = SampleParams.create();
        assertStepAllocatesNothing(new Sgd(params, 1e-4, 0.9, 5e-4, true), params);
    }

    @Test
    void adamStepAllocatesNothing() {
        List<Param> params = SampleParams.create();
        assertStepAllocatesNothing(new Adam(params, 1e-4, 0.9, 0.999, 1e-8, 1e-4), params);
    }

    @Test
    void adamWStepAllocatesNothing() {
        List<Param> params = SampleParams.create();
        assertStepAllocatesNothing(new AdamW(ParamGroup.decayExceptBiases(params, 1e-2), 1e-4, 0.9, 0.999, 1e-8), params);
    }

    @Test
    void rmsPropStepAllocatesNothing() {
        List<Param> params = SampleParams.create();
        assertStepAllocatesNothing(new RmsProp(params, 1e-4, 0.99, 1e-8, 1e-4, 0.9, true), params);
    }

    @Test
    void adagradStepAllocatesNothing() {
        List<Param> params = SampleParams.create();
        assertStepAllocatesNothing(new Adagrad(params, 1e-4, 0.01, 1e-4, 0, 1e-10), params);
    }

    @Test
    void aStepSplitBetweenTwoWorkersAllocatesNothing() {
        List<Param> params = List.of(new Param("w", false, 200, 170), new Param("b", true, 170));
        for (Param p : params) java.util.Arrays.fill(p.grad, 0.01f);
        try (kiln.runtime.parallel.WorkerPool pool = new kiln.runtime.parallel.WorkerPool(2)) {
            Optimizer adam = Optimizers.create("adam", params, 1e-4);
            adam.useWorkers(pool);
            assertStepsAllocateNothing(adam);
        }
    }

    @Test
    void clippingAndTheFiniteCheckAllocateNothing() {
        List<Param> params = SampleParams.create();
        Param[] array = params.toArray(new Param[0]);
        Optimizer clipping = new Optimizer() { // a stand-in whose step is the trainer's per-step gradient work
            @Override public void step() {
                Gradients.clipByGlobalNorm(array, 0.1);
                Gradients.clipByValue(array, 0.05);
                if (Gradients.firstNonFiniteGradient(array) >= 0) throw new AssertionError();
            }
            @Override public void useWorkers(kiln.runtime.parallel.WorkerPool pool) {}
            @Override public List<Param> params() { return params; }
            @Override public double learningRate() { return 0; }
            @Override public void setLearningRate(double lr) {}
            @Override public long steps() { return 0; }
            @Override public java.util.Map<String, float[]> state() { return java.util.Map.of(); }
            @Override public void loadState(java.util.Map<String, float[]> state, long steps) {}
            @Override public String describe() { return "clipping"; }
        };
        assertStepAllocatesNothing(clipping, params);
    }
}
