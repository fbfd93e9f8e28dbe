package kiln.runtime.parallel;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * A reusable barrier for the workers of one {@link ParallelTask} run: each worker calls
 * {@link #await(int)} and returns once all {@code parties} have arrived. For tasks that loop
 * over dependent phases (the time steps of a recurrent layer) without leaving the pool between
 * them. Sense-reversing: the last to arrive resets the count, then opens the next phase; the
 * others spin on the phase, yielding after a while in case a worker's core was taken away.
 * Everything a worker wrote before arriving is visible to every worker after it leaves.
 * Allocates nothing.
 */
public final class SpinBarrier {
    /** About a few microseconds: a step's work is tens of microseconds, and a busy machine may have taken the other worker's core. */
    private static final int SPINS_BEFORE_YIELD = 1 << 9;

    private final AtomicInteger arrived = new AtomicInteger();
    private volatile int phase;
    private volatile boolean broken;

    /** Waits for {@code parties} workers (this one included); returns at once for one party. */
    public void await(int parties) {
        if (parties <= 1) return;
        if (broken) throw new IllegalStateException("another worker failed before this one reached the barrier");
        int p = phase;
        if (arrived.incrementAndGet() == parties) {
            arrived.set(0);
            phase = p + 1; // releases the others, publishing everything written before their arrival and ours
            return;
        }
        int spins = 0;
        while (phase == p) {
            if (broken) throw new IllegalStateException("another worker failed while this one waited at the barrier");
            if (++spins < SPINS_BEFORE_YIELD) Thread.onSpinWait();
            else Thread.yield();
        }
    }

    /** Called by a worker that fails: the ones waiting, or arriving later, throw instead of waiting forever. */
    public void abort() {
        broken = true;
    }

    /** Makes the barrier whole again for the next task run; only while no worker is inside {@link #await}. */
    public void reset() {
        arrived.set(0);
        broken = false;
    }
}
