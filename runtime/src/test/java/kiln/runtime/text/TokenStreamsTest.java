package kiln.runtime.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import kiln.runtime.Batch;
import org.junit.jupiter.api.Test;

class TokenStreamsTest {
    private static int[] range(int n) {
        int[] t = new int[n];
        for (int i = 0; i < n; i++) t[i] = i;
        return t;
    }

    @Test
    void rowsContinueTheirStreamFromBatchToBatch() {
        // 27 tokens: 26 inputs with a label after them, 3 streams of 8 (2 inputs left over), chunks of 3 steps
        TokenStreams s = new TokenStreams(range(27), 3, 3);
        Batch b = new Batch(3, 3, 1, 3);
        assertEquals(3, s.chunks());
        assertEquals(24, s.tokensPerPass());
        assertEquals(3, s.next(b));
        assertEquals(3, b.size);
        assertEquals(8f, b.x[3]); // stream 1 starts at token 8
        assertEquals(9, b.labels[3]);
        assertEquals(3, s.next(b));
        assertEquals(3f, b.x[0]); // stream 0 goes on at token 3
        assertEquals(21f, b.x[2 * 3 + 2]); // stream 2: 16 + 3 + 2
        assertEquals(22, b.labels[2 * 3 + 2]);
        assertEquals(2, s.next(b)); // the last chunk is 2 steps: 6 and 7 of each stream
        assertEquals(6f, b.x[0]);
        assertEquals(7f, b.x[1]);
        assertEquals(8, b.labels[1]);
        assertEquals(0f, b.x[2]); // padding past the chunk's end
        assertEquals(0, s.next(b));
    }

    @Test
    void anOffsetMovesWhereTheStreamsStart() {
        TokenStreams s = new TokenStreams(range(27), 3, 3);
        Batch b = new Batch(3, 3, 1, 3);
        s.start(2);
        assertEquals(3, s.next(b));
        assertEquals(2f, b.x[0]);
        assertEquals(2f + 8, b.x[3]); // (27 - 1 - 2) / 3 = 8 per stream
        s.start(0);
        s.next(b);
        assertEquals(0f, b.x[0]);
        assertThrows(IllegalArgumentException.class, () -> s.start(3));
    }

    @Test
    void aTextShorterThanTheStreamsUsesFewerRows() {
        TokenStreams s = new TokenStreams(range(3), 8, 4);
        Batch b = new Batch(8, 4, 1, 4);
        assertEquals(2, s.streams());
        assertEquals(1, s.next(b));
        assertEquals(2, b.size);
        assertEquals(1f, b.x[4]);
        assertEquals(2, b.labels[4]);
    }

    @Test
    void aBatchOfTheWrongShapeIsRejected() {
        TokenStreams s = new TokenStreams(range(20), 2, 4);
        var e = assertThrows(IllegalArgumentException.class, () -> s.next(new Batch(2, 4, 1)));
        assertEquals("batch [capacity 2, inputs 4, labels 1] cannot hold 2 streams of 4 steps", e.getMessage());
    }
}
