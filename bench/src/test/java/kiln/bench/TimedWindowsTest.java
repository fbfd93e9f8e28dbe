package kiln.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The timing protocol's bookkeeping: windows counted, steps paired, medians taken as before. */
class TimedWindowsTest {
    @Test
    void alternatingWindowsComeInPairsAfterBothWarmUps() {
        int[] calls = new int[2];
        List<List<TimedWindows.Window>> pairs = TimedWindows.alternate(() -> calls[0]++, () -> calls[1]++, 0.01, 0.08, 4);

        List<TimedWindows.Window> a = pairs.get(0), b = pairs.get(1);
        assertEquals(a.size(), b.size(), "paired by index");
        assertTrue(a.size() >= 4, "at least the windows asked for: " + a.size());
        int timedA = a.stream().mapToInt(TimedWindows.Window::steps).sum();
        int timedB = b.stream().mapToInt(TimedWindows.Window::steps).sum();
        assertTrue(a.stream().allMatch(w -> w.steps() > 0) && b.stream().allMatch(w -> w.steps() > 0));
        assertTrue(calls[0] > timedA && calls[1] > timedB, "each step also ran its warm-up");
    }

    @Test
    void theMedianIsTheMiddleWindowOrTheUpperOfTwo() {
        assertEquals(2.0, TimedWindows.medianStepSeconds(List.of(window(3), window(1), window(2))));
        assertEquals(3.0, TimedWindows.medianStepSeconds(List.of(window(4), window(1), window(3), window(2))));
    }

    private static TimedWindows.Window window(double stepSeconds) {
        return new TimedWindows.Window(stepSeconds, 1, 0);
    }
}
