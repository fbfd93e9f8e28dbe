package kiln.runtime.parallel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class WorkerPoolTest {
    @ParameterizedTest(name = "{0} threads")
    @ValueSource(ints = {1, 2, 3, 5})
    void everyWorkerRunsOnceWithItsIndexAndTheCallerIsWorkerZero(int threads) {
        try (WorkerPool pool = new WorkerPool(threads)) {
            assertEquals(threads, pool.threads());
            AtomicIntegerArray runs = new AtomicIntegerArray(threads);
            Thread caller = Thread.currentThread();
            Set<String> names = ConcurrentHashMap.newKeySet();
            pool.run((worker, workers) -> {
                assertEquals(threads, workers);
                runs.incrementAndGet(worker);
                if (worker == 0) assertSame(caller, Thread.currentThread());
                else names.add(Thread.currentThread().getName());
            });
            for (int w = 0; w < threads; w++) assertEquals(1, runs.get(w), "worker " + w);
            for (int w = 1; w < threads; w++) assertTrue(names.contains("kiln-worker-" + w), names.toString());
        }
    }

    @Test
    void runReturnsOnlyAfterEveryWorkerFinished() {
        try (WorkerPool pool = new WorkerPool(3)) {
            long[] slots = new long[3 * 8]; // one cache line per worker
            for (int round = 1; round <= 200; round++) {
                int r = round;
                pool.run((worker, workers) -> {
                    if (worker != 0) Thread.onSpinWait();
                    slots[worker * 8] = r;
                });
                for (int w = 0; w < 3; w++) assertEquals(round, slots[w * 8]);
            }
        }
    }

    @Test
    void aWorkersExceptionIsRethrownOnTheCaller() {
        try (WorkerPool pool = new WorkerPool(2)) {
            IllegalStateException boom = new IllegalStateException("boom");
            IllegalStateException thrown = assertThrows(IllegalStateException.class, () -> pool.run((worker, workers) -> {
                if (worker == 1) throw boom;
            }));
            assertSame(boom, thrown);
            AtomicLong after = new AtomicLong(); // the pool still works after a failure
            pool.run((worker, workers) -> after.incrementAndGet());
            assertEquals(2, after.get());
        }
    }

    @Test
    void theCallersOwnExceptionWinsAndKeepsTheWorkersAsSuppressed() {
        try (WorkerPool pool = new WorkerPool(2)) {
            RuntimeException thrown = assertThrows(RuntimeException.class, () -> pool.run((worker, workers) -> {
                throw new RuntimeException("worker " + worker);
            }));
            assertEquals("worker 0", thrown.getMessage());
            assertEquals(1, thrown.getSuppressed().length);
            assertEquals("worker 1", thrown.getSuppressed()[0].getMessage());
        }
    }

    @Test
    void singleThreadPoolRunsInlineAndPropagatesErrors() {
        try (WorkerPool pool = new WorkerPool(1)) {
            Thread caller = Thread.currentThread();
            pool.run((worker, workers) -> assertSame(caller, Thread.currentThread()));
            assertThrows(AssertionError.class, () -> pool.run((worker, workers) -> {
                throw new AssertionError("inline");
            }));
        }
    }

    @Test
    void manyBackToBackRunsDoNotDeadlock() {
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            try (WorkerPool pool = new WorkerPool(4)) { // more threads than this machine may have cores
                AtomicLong total = new AtomicLong();
                ParallelTask task = (worker, workers) -> total.addAndGet(worker + 1);
                for (int i = 0; i < 5_000; i++) pool.run(task);
                assertEquals(5_000L * (1 + 2 + 3 + 4), total.get());
            }
        });
    }

    @Test
    void runsSeparatedByIdlePausesWakeParkedWorkers() throws InterruptedException {
        try (WorkerPool pool = new WorkerPool(2)) {
            AtomicLong total = new AtomicLong();
            for (int i = 0; i < 5; i++) {
                Thread.sleep(5); // longer than the spin: the worker parks
                pool.run((worker, workers) -> total.incrementAndGet());
            }
            assertEquals(10, total.get());
        }
    }

    @Test
    void nestedRunsAreRejectedInsteadOfDeadlocking() {
        try (WorkerPool pool = new WorkerPool(2)) {
            assertThrows(IllegalStateException.class, () -> pool.run((worker, workers) -> {
                if (worker == 0) pool.run((w, ws) -> {});
            }));
        }
    }

    @Test
    void rejectsBadThreadCountsAndRunsAfterClose() {
        assertThrows(IllegalArgumentException.class, () -> new WorkerPool(0));
        WorkerPool pool = new WorkerPool(2);
        pool.close();
        pool.close(); // idempotent
        assertThrows(IllegalStateException.class, () -> pool.run((worker, workers) -> {}));
    }
}
