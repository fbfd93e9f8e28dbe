package kiln.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Locale;
import kiln.runtime.Batch;

/**
 * The benchmarks' {@code --profile}: the mean wall time of each phase of a training step, after
 * a warm-up, and the calling thread's CPU time as a share of the wall time. At 2 threads it
 * shows which phases scale and which run on the caller alone. Unlike the timed windows, it does
 * not drop steps during which other processes were busy.
 */
final class StepProfile {
    /** One phase of a step, run on the step's batch. */
    interface Phase {
        void run(Batch batch);
    }

    private StepProfile() {}

    /** Runs the phases in order on the batches in turn; returns one line: steps, caller's CPU share, ms per phase. */
    static String measure(Batch[] data, String[] names, Phase[] phases, double warmup, double seconds) {
        if (names.length != phases.length) {
            throw new IllegalArgumentException(names.length + " names for " + phases.length + " phases");
        }
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long[] nanos = new long[phases.length];
        long cpu = 0, wall = 0;
        int steps = 0;
        long start = System.nanoTime();
        long measureFrom = start + (long) (warmup * 1e9), end = measureFrom + (long) (seconds * 1e9);
        for (int step = 0; System.nanoTime() < end; step++) {
            Batch batch = data[step % data.length];
            boolean measured = System.nanoTime() >= measureFrom;
            long cpu0 = threads.getCurrentThreadCpuTime(), t0 = System.nanoTime(), t = t0;
            for (int p = 0; p < phases.length; p++) {
                phases[p].run(batch);
                long now = System.nanoTime();
                if (measured) nanos[p] += now - t;
                t = now;
            }
            if (!measured) continue;
            cpu += threads.getCurrentThreadCpuTime() - cpu0;
            wall += t - t0;
            steps++;
        }
        StringBuilder line = new StringBuilder(String.format(Locale.ROOT,
                "%d steps, calling thread's cpu %.0f%% of wall:", steps, 100.0 * cpu / Math.max(1, wall)));
        for (int p = 0; p < phases.length; p++) {
            line.append(String.format(Locale.ROOT, "  %s %.3f ms", names[p], nanos[p] / 1e6 / Math.max(1, steps)));
        }
        return line.toString();
    }
}
