package kiln.runtime.data.csv;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import kiln.runtime.data.DataException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CsvReaderTest {
    @TempDir
    Path dir;

    private static List<CsvReader.Row> read(String text) throws Exception {
        return CsvReader.read(new StringReader(text), "t.csv", ',', true);
    }

    private static String error(String text) {
        return assertThrows(DataException.class, () -> read(text)).getMessage();
    }

    @Test
    void readsFieldsQuotesAndLineEnds() throws Exception {
        List<CsvReader.Row> rows = read("\uFEFFa, b ,c\r\n\n1,\"x, \"\"y\"\"\",3\n\"multi\nline\",,\"\"\n");
        assertEquals(3, rows.size());
        assertArrayEquals(new String[] {"a", "b", "c"}, rows.get(0).fields());
        assertArrayEquals(new String[] {"1", "x, \"y\"", "3"}, rows.get(1).fields());
        assertArrayEquals(new String[] {"multi\nline", "", ""}, rows.get(2).fields());
        assertEquals(1, rows.get(0).line());
        assertEquals(3, rows.get(1).line()); // the blank line 2 is skipped but counted
        assertEquals(4, rows.get(2).line());
        assertEquals(1, read("1,2").size()); // no final line end
    }

    @Test
    void malformedRowsNameTheirLine() {
        assertEquals("t.csv:3: 2 fields, expected 3 as on line 1", error("a,b,c\n1,2,3\n4,5\n"));
        assertEquals("t.csv:2: 4 fields, expected 3 as on line 1", error("a,b,c\n1,2,3,4\n"));
        assertEquals("t.csv:2: quoted field is never closed", error("a,b\n\"open,1\n2,3\n"));
        assertEquals("t.csv:2: stray quote in field 2; quote the whole field and double quotes inside it", error("a,b\n1,x\"y\n"));
        assertEquals("t.csv:2: text after the closing quote of field 1", error("a,b\n\"x\"y,1\n"));
    }

    @Test
    void matrixSkipsAHeaderAndChecksEveryValue() throws Exception {
        Path f = Files.writeString(dir.resolve("m.csv"), "x1,x2\n1,2\n3.5,-4e-1\n");
        assertArrayEquals(new float[] {1, 2, 3.5f, -0.4f}, CsvReader.readMatrix(f, 2));
        Path bad = Files.writeString(dir.resolve("bad.csv"), "1,2\n3,four\n");
        assertEquals(bad + ":2: value 2 ('four') is not a number", assertThrows(DataException.class, () -> CsvReader.readMatrix(bad, 2)).getMessage());
        assertEquals(f + ":2: 2 values, but the model takes 3 inputs", assertThrows(DataException.class, () -> CsvReader.readMatrix(f, 3)).getMessage());
    }
}
