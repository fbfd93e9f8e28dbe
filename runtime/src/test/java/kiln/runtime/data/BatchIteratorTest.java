package kiln.runtime.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import kiln.runtime.Batch;
import org.junit.jupiter.api.Test;

class BatchIteratorTest {
    /** Sample i has inputs (i, -i) and label i, so a batch row says which sample it holds. */
    private static Dataset numbered(int n) {
        float[] x = new float[n * 2];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            x[2 * i] = i;
            x[2 * i + 1] = -i;
            labels[i] = i;
        }
        return Dataset.ofLabels("numbered", x, 2, labels);
    }

    private static List<Integer> epoch(BatchIterator it, Batch batch, long seed, List<Integer> sizes) {
        List<Integer> order = new ArrayList<>();
        it.startEpoch(seed);
        while (it.next(batch)) {
            sizes.add(batch.size);
            for (int r = 0; r < batch.size; r++) {
                assertEquals(batch.labels[r], (int) batch.x[2 * r]);
                assertEquals(-batch.labels[r], (int) batch.x[2 * r + 1]);
                order.add(batch.labels[r]);
            }
        }
        return order;
    }

    @Test
    void everySampleOncePerEpochWithAShortLastBatch() {
        BatchIterator it = new BatchIterator(numbered(103), 10);
        Batch batch = new Batch(16, 2, 1);
        List<Integer> sizes = new ArrayList<>();
        List<Integer> order = epoch(it, batch, 7, sizes);
        assertEquals(103, order.size());
        assertEquals(103, order.stream().distinct().count());
        assertEquals(11, sizes.size());
        assertEquals(3, sizes.get(10));
        assertEquals(11, it.batchesPerEpoch());
        assertFalse(it.next(batch), "the epoch stays finished until startEpoch");
    }

    @Test
    void sameSeedSameOrderOtherSeedOtherOrder() {
        BatchIterator it = new BatchIterator(numbered(50), 8);
        Batch batch = new Batch(8, 2, 1);
        List<Integer> a = epoch(it, batch, 42, new ArrayList<>());
        List<Integer> b = epoch(it, batch, 43, new ArrayList<>());
        List<Integer> c = epoch(it, batch, 42, new ArrayList<>());
        assertEquals(a, c, "the order depends on the epoch seed alone");
        assertNotEquals(a, b);
        List<Integer> fresh = epoch(new BatchIterator(numbered(50), 8), new Batch(8, 2, 1), 42, new ArrayList<>());
        assertEquals(a, fresh);
    }

    @Test
    void copiesDenseTargets() {
        Dataset d = Dataset.ofTargets("dense", new float[] {1, 2, 3}, 1, new float[] {10, 11, 20, 21, 30, 31}, 2);
        BatchIterator it = new BatchIterator(d, 3);
        Batch batch = new Batch(3, 1, 2);
        it.startEpoch(1);
        assertTrue(it.next(batch));
        for (int r = 0; r < 3; r++) {
            float x = batch.x[r];
            assertArrayEquals(new float[] {x * 10, x * 10 + 1}, new float[] {batch.targets[2 * r], batch.targets[2 * r + 1]});
        }
    }

    @Test
    void iteratingAllocatesNothingAfterWarmUp() {
        BatchIterator it = new BatchIterator(numbered(1000), 32);
        Batch batch = new Batch(32, 2, 1);
        for (int e = 0; e < 200; e++) drain(it, batch, e); // warm up, let the JIT compile
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long before = mx.getCurrentThreadAllocatedBytes();
        long checksum = 0;
        for (int e = 0; e < 100; e++) checksum += drain(it, batch, e);
        long allocated = mx.getCurrentThreadAllocatedBytes() - before;
        assertEquals(100L * 999 * 1000 / 2, checksum);
        // 3,200 batches: allocating even one object per batch would show as 50+ KB. The slack is
        // for the measurement itself (the bean call and the JIT can account a few dozen bytes).
        assertTrue(allocated < 1024, "100 epochs of batching allocated " + allocated + " bytes");
    }

    private static long drain(BatchIterator it, Batch batch, long seed) {
        long sum = 0;
        it.startEpoch(seed);
        while (it.next(batch)) for (int r = 0; r < batch.size; r++) sum += batch.labels[r];
        return sum;
    }
}
