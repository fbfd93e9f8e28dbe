package kiln.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * pytorch_bench.py's timing protocol: a warm-up, then timed windows of {@code seconds / windows}
 * each; a window counts only if other processes used at most {@link #MAX_OTHER_CORES} during it,
 * and windows are added (for up to 30 s) until enough count. The figure is the median per-step
 * time over the windows that count.
 */
final class TimedWindows {
    /** Cores other processes may use during a window that counts, as in pytorch_bench.py. */
    static final double MAX_OTHER_CORES = 0.2;
    private static final double MAX_WAIT_SECONDS = 30;

    /** One timed window: seconds per step, steps run, cores other processes used meanwhile. */
    record Window(double stepSeconds, int steps, double otherCores) {
        boolean clean() {
            return otherCores <= MAX_OTHER_CORES;
        }
    }

    private TimedWindows() {}

    /** The protocol on one step: its clean windows, or all of them if none was clean. */
    static List<Window> measure(Runnable step, double warmup, double seconds, int windows) {
        warm(step, warmup);
        List<Window> clean = new ArrayList<>(), all = new ArrayList<>();
        long deadline = System.nanoTime() + (long) (Math.max(MAX_WAIT_SECONDS, seconds) * 1e9);
        while (clean.size() < windows && (all.isEmpty() || System.nanoTime() < deadline)) {
            Window w = window(step, seconds / windows);
            all.add(w);
            if (w.clean()) clean.add(w);
        }
        return clean.isEmpty() ? all : clean;
    }

    /**
     * The protocol on two steps at once, their windows alternating (a b, b a, a b, ...), so that
     * both see the same stretch of a machine whose speed drifts within seconds. A pair counts if
     * both its windows are clean. Returns {a's windows, b's windows}, paired by index.
     */
    static List<List<Window>> alternate(Runnable a, Runnable b, double warmup, double seconds, int windows) {
        return alternate(a, b, warmup, seconds, windows, Window::clean);
    }

    /** {@link #alternate} with the test of whether a window counts given (tests pass their own). */
    static List<List<Window>> alternate(Runnable a, Runnable b, double warmup, double seconds, int windows,
                                        Predicate<Window> counts) {
        warm(a, warmup);
        warm(b, warmup);
        List<Window> cleanA = new ArrayList<>(), cleanB = new ArrayList<>(), allA = new ArrayList<>(), allB = new ArrayList<>();
        long deadline = System.nanoTime() + (long) (Math.max(MAX_WAIT_SECONDS, 2 * seconds) * 1e9);
        double length = seconds / windows;
        while (cleanA.size() < windows && (allA.isEmpty() || System.nanoTime() < deadline)) {
            boolean aFirst = allA.size() % 2 == 0;
            Window first = window(aFirst ? a : b, length), second = window(aFirst ? b : a, length);
            Window wa = aFirst ? first : second, wb = aFirst ? second : first;
            allA.add(wa);
            allB.add(wb);
            if (counts.test(wa) && counts.test(wb)) {
                cleanA.add(wa);
                cleanB.add(wb);
            }
        }
        return cleanA.isEmpty() ? List.of(allA, allB) : List.of(cleanA, cleanB);
    }

    /** The median of the windows' seconds per step; of an even count, the mean of the middle two, as Python's statistics.median. */
    static double medianStepSeconds(List<Window> windows) {
        double[] steps = requireWindows(windows).stream().mapToDouble(Window::stepSeconds).sorted().toArray();
        int half = steps.length / 2;
        return steps.length % 2 == 1 ? steps[half] : (steps[half - 1] + steps[half]) / 2;
    }

    /** The mean of the cores other processes used during the windows. */
    static double meanOtherCores(List<Window> windows) {
        double sum = 0;
        for (Window w : requireWindows(windows)) sum += w.otherCores();
        return sum / windows.size();
    }

    /** A statistic of no windows has no value: measure() and alternate() always keep at least one. */
    private static List<Window> requireWindows(List<Window> windows) {
        if (windows.isEmpty()) throw new IllegalArgumentException("no timed windows");
        return windows;
    }

    private static void warm(Runnable step, double seconds) {
        long end = System.nanoTime() + (long) (seconds * 1e9);
        while (System.nanoTime() < end) step.run();
    }

    private static Window window(Runnable step, double seconds) {
        CpuClock start = CpuClock.now();
        long t0 = System.nanoTime();
        int k = 0;
        double elapsed;
        do {
            step.run();
            k++;
            elapsed = (System.nanoTime() - t0) / 1e9;
        } while (elapsed < seconds);
        return new Window(elapsed / k, k, CpuClock.now().otherCoresSince(start));
    }
}
