package kiln.runtime.tune;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class HyperparameterSearchTest {
    private static final Dimension LR = Dimension.parse("lr", "0.01,0.1", false);
    private static final Dimension BATCH = Dimension.parse("batch", "16,32,64", true);

    @Test
    void gridIsTheCartesianProductWithOneSeedPerTrial() {
        List<Trial> trials = HyperparameterSearch.grid(List.of(LR, BATCH), 100);
        assertEquals(6, trials.size());
        assertEquals(0.01, trials.get(0).value("lr"));
        assertEquals(16, trials.get(0).intValue("batch"));
        assertEquals(64, trials.get(2).intValue("batch"));
        assertEquals(0.1, trials.get(3).value("lr"));
        for (int i = 0; i < 6; i++) {
            assertEquals(i + 1, trials.get(i).number());
            assertEquals(100 + i + 1, trials.get(i).seed());
        }
    }

    @Test
    void rangesGiveGridPointsAndRandomDraws() {
        assertArrayEquals(new double[] {1e-4, 1e-3, 1e-2, 1e-1}, Dimension.parse("lr", "log:1e-4:1e-1:4", false).gridValues(), 1e-15);
        assertArrayEquals(new double[] {0, 0.05, 0.1}, Dimension.parse("wd", "lin:0:0.1:3", false).gridValues(), 1e-15);
        assertArrayEquals(new double[] {16, 64, 256}, Dimension.parse("batch", "log:16:256:3", true).gridValues());
        Dimension range = Dimension.parse("lr", "log:1e-4:1e-1", false);
        List<Trial> a = HyperparameterSearch.random(List.of(range, BATCH), 50, 7), b = HyperparameterSearch.random(List.of(range, BATCH), 50, 7);
        assertEquals(a, b);
        int small = 0;
        for (Trial t : a) {
            double lr = t.value("lr");
            assertTrue(lr >= 1e-4 && lr <= 1e-1, "lr " + lr);
            if (lr < 1e-2) small++;
            assertTrue(List.of(16, 32, 64).contains(t.intValue("batch")));
        }
        assertTrue(small > 20, "log-uniform: about two thirds of the draws lie below 1e-2, got " + small + " of 50");
        assertThrows(IllegalArgumentException.class, range::gridValues);
        assertThrows(IllegalArgumentException.class, () -> Dimension.parse("lr", "log:0:1", false));
    }

    @Test
    void resultsSortBestFirstWithFailuresLast() {
        List<Trial> trials = HyperparameterSearch.grid(List.of(BATCH), 0);
        List<TrialResult> seen = new ArrayList<>();
        double[] loss = {0.5, 0.2, 0.9};
        List<TrialResult> sorted = HyperparameterSearch.run(trials, false, t -> {
            if (t.number() == 3) throw new IllegalStateException("diverged");
            double l = loss[t.number() - 1];
            return new TrialResult(t, l, l, 0.5, 2, 0.1, null);
        }, seen::add);
        assertEquals(3, seen.size());
        assertEquals(List.of(2, 1, 3), sorted.stream().map(r -> r.trial().number()).toList());
        assertEquals("diverged", sorted.get(2).failure());
        String table = HyperparameterSearch.table(sorted, List.of(BATCH));
        assertTrue(table.lines().toList().get(1).matches("\\s+1\\s+2\\s+2\\s+32\\s+0\\.2000\\s+50\\.0%\\s+2\\s+0\\.1"), table);
        assertTrue(table.contains("failed: diverged"), table);
        // Higher is better for accuracy.
        assertEquals(List.of(3, 1, 2), HyperparameterSearch.sorted(List.of(
                new TrialResult(trials.get(0), 0.5, 1, 0.5, 1, 0, null), new TrialResult(trials.get(1), 0.2, 1, 0.2, 1, 0, null),
                new TrialResult(trials.get(2), 0.9, 1, 0.9, 1, 0, null)), true).stream().map(r -> r.trial().number()).toList());
    }
}
