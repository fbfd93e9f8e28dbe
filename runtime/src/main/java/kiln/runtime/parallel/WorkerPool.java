package kiln.runtime.parallel;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * A fixed team of threads that runs one {@link ParallelTask} at a time, on all workers together.
 *
 * <p>The thread that calls {@link #run} is worker 0; {@code threads - 1} daemon threads named
 * {@code kiln-worker-N} are workers 1..threads-1. A run allocates nothing: the caller publishes
 * the task in a volatile field and bumps a generation counter that the workers wait on, then
 * waits for a countdown to reach zero. Both sides spin, then yield, for about a millisecond before
 * parking, because the kernels of one training step come back to back and a park/unpark round
 * trip costs far more than that.
 *
 * <p>One caller at a time: a model's training loop owns its pool. A run from inside a task, or
 * from a second thread while one is in flight, is rejected instead of deadlocking.
 */
public final class WorkerPool implements AutoCloseable {
    /** How long a waiting thread busy-spins: about the gap between two kernels of one step. */
    private static final long SPIN_NANOS = 20_000;
    /**
     * How long it then keeps yielding before it parks. Waking a parked thread can take 100-300 us
     * on a virtual machine; with a short wait, caller and worker each park while the other wakes
     * up and every run pays both wake-ups (seen: 65 us of work taking 340 us). Yielding rather than
     * spinning keeps that window cheap when there are more threads than cores.
     */
    private static final long YIELD_NANOS = 1_000_000;

    private final int threads;
    private final Thread[] workers; // [threads - 1]: worker w runs on workers[w - 1]
    private final AtomicInteger pending = new AtomicInteger(); // workers 1.. still in this run
    private final AtomicReference<Throwable> failure = new AtomicReference<>(); // first worker failure
    private final AtomicBoolean busy = new AtomicBoolean();
    private volatile ParallelTask task;
    private volatile int generation; // bumped once per run, and once by close
    private volatile Thread caller;
    private volatile boolean closed;

    public WorkerPool(int threads) {
        if (threads < 1) throw new IllegalArgumentException("a worker pool needs >= 1 threads, got " + threads);
        this.threads = threads;
        this.workers = new Thread[threads - 1];
        for (int w = 1; w < threads; w++) {
            int worker = w;
            Thread t = new Thread(() -> workerLoop(worker), "kiln-worker-" + w);
            t.setDaemon(true);
            workers[w - 1] = t;
        }
        for (Thread t : workers) t.start(); // only once every field above is set
    }

    /** Number of workers, the calling thread included. */
    public int threads() {
        return threads;
    }

    /**
     * Runs {@code task.run(worker, threads())} on every worker and returns when all have finished.
     * If any worker threw, rethrows that exception here (the caller's own first), after the others
     * are done, so the task's data is never still being written when this returns.
     */
    public void run(ParallelTask task) {
        if (task == null) throw new NullPointerException("task");
        if (closed) throw new IllegalStateException("worker pool is closed");
        if (threads == 1) {
            task.run(0, 1);
            return;
        }
        if (!busy.compareAndSet(false, true)) {
            throw new IllegalStateException("worker pool is already running a task; runs do not nest or overlap");
        }
        try {
            caller = Thread.currentThread();
            pending.set(threads - 1);
            this.task = task;
            generation++; // volatile write publishes task and pending to the workers; single writer: busy
            for (Thread t : workers) LockSupport.unpark(t);
            Throwable own = null;
            try {
                task.run(0, threads);
            } catch (Throwable t) {
                own = t;
            }
            awaitWorkers();
            this.task = null;
            rethrow(own, failure.getAndSet(null));
        } finally {
            busy.set(false);
        }
    }

    /** Stops the worker threads; they are daemons, so this is about not leaving spinners behind. */
    @Override
    public void close() {
        if (closed) return;
        closed = true;
        generation++;
        for (Thread t : workers) LockSupport.unpark(t);
    }

    private void workerLoop(int worker) {
        int seen = 0;
        while (true) {
            seen = awaitGeneration(seen);
            if (closed) return;
            try {
                task.run(worker, threads);
            } catch (Throwable t) {
                failure.compareAndSet(null, t);
            } finally {
                if (pending.decrementAndGet() == 0) LockSupport.unpark(caller);
            }
        }
    }

    /** Waits until the generation moves past {@code seen}; returns the new one. */
    private int awaitGeneration(int seen) {
        long start = System.nanoTime();
        while (generation == seen) pause(start); // spurious wake-ups from park just loop
        return generation;
    }

    private void awaitWorkers() {
        long start = System.nanoTime();
        while (pending.get() != 0) pause(start);
    }

    /** One step of waiting that began at {@code start}: spin, then yield, then park until unparked. */
    private void pause(long start) {
        long waited = System.nanoTime() - start;
        if (waited < SPIN_NANOS) Thread.onSpinWait();
        else if (waited < SPIN_NANOS + YIELD_NANOS) Thread.yield();
        else LockSupport.park(this);
    }

    private static void rethrow(Throwable own, Throwable worker) {
        Throwable first = own != null ? own : worker;
        if (first == null) return;
        if (own != null && worker != null && worker != own) own.addSuppressed(worker);
        if (first instanceof RuntimeException e) throw e;
        if (first instanceof Error e) throw e;
        throw new RuntimeException("worker failed", first); // a sneaky checked exception
    }
}
