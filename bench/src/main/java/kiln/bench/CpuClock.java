package kiln.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * How busy the machine was while we measured: the same accounting as pytorch_bench.py, so that a
 * window during which other processes used more than a fraction of a core is discarded.
 */
final class CpuClock {
    private static final double TICKS_PER_SECOND = 100.0; // USER_HZ on Linux

    private final long busyTicks;
    private final long ownNanos;
    private final long wallNanos;

    private CpuClock(long busyTicks, long ownNanos, long wallNanos) {
        this.busyTicks = busyTicks;
        this.ownNanos = ownNanos;
        this.wallNanos = wallNanos;
    }

    static CpuClock now() {
        long busy = 0;
        try {
            String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
            // user nice system idle iowait irq softirq steal
            for (int i : new int[] {1, 2, 3, 6, 7, 8}) if (i < f.length) busy += Long.parseLong(f[i]);
        } catch (IOException | RuntimeException e) {
            busy = -1;
        }
        long own = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
        return new CpuClock(busy, own, System.nanoTime());
    }

    /** Cores used by other processes between {@code start} and this reading. */
    double otherCoresSince(CpuClock start) {
        if (busyTicks < 0 || start.busyTicks < 0) return 0;
        double wall = (wallNanos - start.wallNanos) / 1e9;
        double machine = (busyTicks - start.busyTicks) / TICKS_PER_SECOND;
        double own = (ownNanos - start.ownNanos) / 1e9;
        return Math.max(0, (machine - own) / wall);
    }
}
