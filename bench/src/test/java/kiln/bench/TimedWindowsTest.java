package kiln.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The timing protocol's bookkeeping: windows alternate, pairs stay paired, medians as before. */
class TimedWindowsTest {
    @Test
    void windowsAlternateABThenBAAndStayPaired() {
        // b's step spins 100 times as long as a's, so a window's mean step says whose it is even
        // on a machine busy enough to preempt a window or two
        StringBuilder calls = new StringBuilder();
        List<List<TimedWindows.Window>> pairs = TimedWindows.alternate(
                () -> step(calls, 'a', 20_000), () -> step(calls, 'b', 2_000_000), 0.005, 0.08, 4, w -> true);

        List<TimedWindows.Window> a = pairs.get(0), b = pairs.get(1);
        assertEquals(4, a.size());
        assertEquals(4, b.size());
        for (int i = 0; i < 4; i++) {
            assertTrue(a.get(i).stepSeconds() < b.get(i).stepSeconds(), "pair " + i + " holds a's window, then b's: " + a.get(i) + " " + b.get(i));
        }
        // warm a, warm b, then a b | b a | a b | b a: each pair after the first continues the
        // previous pair's last run, so 7 runs; without the swap it would be 10
        assertEquals("abababa", runsOf(calls));
    }

    @Test
    void aPairCountsOnlyIfBothItsWindowsDo() {
        int[] seen = {0};
        List<List<TimedWindows.Window>> pairs = TimedWindows.alternate(
                () -> { }, () -> { }, 0, 0.02, 2, w -> ++seen[0] != 2); // the first pair's b window does not count

        assertEquals(2, pairs.get(0).size());
        assertEquals(2, pairs.get(1).size());
        assertEquals(6, seen[0], "three pairs were timed to get two that count");
    }

    @Test
    void theMedianIsTheMiddleWindowOrTheMeanOfTheMiddleTwo() {
        assertEquals(2.0, TimedWindows.medianStepSeconds(List.of(window(3), window(1), window(2))));
        assertEquals(2.5, TimedWindows.medianStepSeconds(List.of(window(4), window(1), window(3), window(2))));
        assertThrows(IllegalArgumentException.class, () -> TimedWindows.medianStepSeconds(List.of()));
    }

    @Test
    void theOtherCoresAreAveragedOverTheWindows() {
        List<TimedWindows.Window> windows = List.of(new TimedWindows.Window(1, 10, 0.1), new TimedWindows.Window(1, 10, 0.3));
        assertEquals(0.2, TimedWindows.meanOtherCores(windows), 1e-12);
        assertThrows(IllegalArgumentException.class, () -> TimedWindows.meanOtherCores(List.of()));
    }

    private static void step(StringBuilder calls, char id, long nanos) {
        calls.append(id);
        long end = System.nanoTime() + nanos;
        while (System.nanoTime() < end) Thread.onSpinWait();
    }

    /** "aaabbba" -> "aba": the sequence of runs of the same step. */
    private static String runsOf(CharSequence calls) {
        StringBuilder runs = new StringBuilder();
        for (int i = 0; i < calls.length(); i++) {
            if (runs.isEmpty() || runs.charAt(runs.length() - 1) != calls.charAt(i)) runs.append(calls.charAt(i));
        }
        return runs.toString();
    }

    private static TimedWindows.Window window(double stepSeconds) {
        return new TimedWindows.Window(stepSeconds, 1, 0);
    }
}
