package kiln.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import kiln.runtime.Batch;
import org.junit.jupiter.api.Test;

/** --profile's phases run in order on the batches in turn, and every phase gets a time. */
class StepProfileTest {
    @Test
    void runsEveryPhaseInOrderOnEachBatchInTurn() {
        Batch[] data = {new Batch(1, 1, 1), new Batch(1, 1, 1), new Batch(1, 1, 1)};
        List<String> calls = new ArrayList<>();
        StepProfile.Phase[] phases = new StepProfile.Phase[3];
        for (int p = 0; p < phases.length; p++) {
            int phase = p;
            phases[p] = b -> calls.add(phase + "@" + indexOf(data, b));
        }
        String line = StepProfile.measure(data, new String[] {"first", "second", "third"}, phases, 0.01, 0.05);

        assertTrue(calls.size() >= 6 && calls.size() % 3 == 0, "whole steps only: " + calls.size());
        for (int i = 0; i < calls.size(); i++) {
            assertEquals((i % 3) + "@" + (i / 3 % data.length), calls.get(i), "call " + i);
        }
        Matcher steps = Pattern.compile("^(\\d+) steps, calling thread's cpu \\d+% of wall:").matcher(line);
        assertTrue(steps.find(), line);
        assertTrue(Integer.parseInt(steps.group(1)) < calls.size() / 3, "the warm-up's steps do not count: " + line);
        for (String name : new String[] {"first", "second", "third"}) {
            assertTrue(Pattern.compile("  " + name + " \\d+\\.\\d{3} ms").matcher(line).find(), line);
        }
    }

    @Test
    void rejectsANameCountThatDoesNotMatchThePhases() {
        StepProfile.Phase[] one = {b -> { }};
        assertThrows(IllegalArgumentException.class,
                () -> StepProfile.measure(new Batch[] {new Batch(1, 1, 1)}, new String[] {"a", "b"}, one, 0, 0.01));
    }

    private static int indexOf(Batch[] data, Batch b) {
        for (int i = 0; i < data.length; i++) if (data[i] == b) return i;
        return -1;
    }
}
