package kiln.runtime.data.csv;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import kiln.runtime.data.DataException;
import kiln.runtime.data.Dataset;
import kiln.runtime.data.Splits;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TabularSourceTest {
    @TempDir
    Path dir;

    /** 100 rows: a numeric column, a colour (categorical), a size, and a fruit class: 60 apples, 30 pears, 10 plums. */
    private Path fruit() throws Exception {
        StringBuilder b = new StringBuilder("weight,colour,size,fruit\n");
        for (int i = 0; i < 100; i++) {
            String fruit = i < 60 ? "apple" : i < 90 ? "pear" : "plum";
            String colour = i % 3 == 0 ? "red" : i % 3 == 1 ? "green" : "yellow";
            b.append(String.format(Locale.ROOT, "%.1f,%s,%d,%s%n", 100 + i * 1.5, colour, i % 7, fruit));
        }
        return Files.writeString(dir.resolve("fruit.csv"), b.toString());
    }

    private static int count(Dataset d, int label) {
        int n = 0;
        for (int l : d.labels()) if (l == label) n++;
        return n;
    }

    @Test
    void stratifiedSplitOneHotAndStandardisation() throws Exception {
        TabularSource source = TabularSource.fromFile(fruit()).categorical("colour").describedAs("Fruit").build();
        Splits s = source.load(null, 7);
        assertEquals(List.of("apple", "pear", "plum"), source.classes());
        assertEquals(List.of("weight", "colour=green", "colour=red", "colour=yellow", "size"), source.featureNames());
        assertEquals("Fruit (5 features, 3 classes)", source.describe());
        // 70 / 15 / 15 within each class: 60 apples give 42 / 9 / 9.
        assertEquals(100, s.train().size() + s.validation().size() + s.test().size());
        for (Dataset d : List.of(s.train(), s.validation(), s.test())) {
            assertTrue(count(d, 2) >= 1, d + " has a plum"); // stratified: even the rare class is in every split
        }
        assertEquals(42, count(s.train(), 0));
        assertEquals(9, count(s.validation(), 0));
        assertEquals(9, count(s.test(), 0));

        // Standardisation is fitted on the training rows: there mean 0 and (population) deviation 1, elsewhere not exactly.
        double[] meanStd = meanStd(s.train(), 0);
        assertEquals(0, meanStd[0], 1e-5);
        assertEquals(1, meanStd[1], 1e-5);
        assertNotEquals(0, meanStd(s.validation(), 0)[0], 1e-6);
        // One-hot: exactly one colour per row.
        for (int r = 0; r < s.train().size(); r++) {
            float[] x = s.train().x();
            assertEquals(1f, x[r * 5 + 1] + x[r * 5 + 2] + x[r * 5 + 3], 0f);
        }
        // The same seed gives the same split; another seed another.
        Splits again = TabularSource.fromFile(dir.resolve("fruit.csv")).categorical("colour").build().load(null, 7);
        assertArrayEquals(s.test().x(), again.test().x());
        Splits other = TabularSource.fromFile(dir.resolve("fruit.csv")).categorical("colour").build().load(null, 8);
        assertTrue(!java.util.Arrays.equals(s.test().x(), other.test().x()));
    }

    private static double[] meanStd(Dataset d, int column) {
        int w = d.inputSize();
        double sum = 0, sq = 0;
        for (int r = 0; r < d.size(); r++) sum += d.x()[r * w + column];
        double mean = sum / d.size();
        for (int r = 0; r < d.size(); r++) sq += Math.pow(d.x()[r * w + column] - mean, 2);
        return new double[] {mean, Math.sqrt(sq / d.size())};
    }

    @Test
    void readsScikitLearnFilesAndNewRowsForPrediction() throws Exception {
        StringBuilder b = new StringBuilder("30,2,small,large\n");
        for (int i = 0; i < 30; i++) b.append(i).append(',').append(i * 2).append(',').append(i < 15 ? 0 : 1).append('\n');
        Path f = Files.writeString(dir.resolve("toy.csv"), b.toString());
        TabularSource source = TabularSource.fromFile(f).header(Header.SKLEARN).columns("a", "b", "class").build();
        Splits s = source.load(null, 1);
        assertEquals(List.of("small", "large"), source.classes());
        assertEquals(30, s.train().size() + s.validation().size() + s.test().size());

        // New rows, with or without the target, named or not, encode like the training rows.
        float[] named = source.readInputs(Files.writeString(dir.resolve("in1.csv"), "b,a\n4,2\n"));
        float[] plain = source.readInputs(Files.writeString(dir.resolve("in2.csv"), "2,4\n"));
        float[] withTarget = source.readInputs(Files.writeString(dir.resolve("in3.csv"), "2,4,1\n"));
        assertArrayEquals(named, plain);
        assertArrayEquals(named, withTarget);
        assertEquals(2, named.length);
        assertTrue(named[0] < 0 && named[1] < 0, "2 and 4 lie below the training means of 0..29 and 0..58");

        DataException e = assertThrows(DataException.class, () -> TabularSource.fromFile(
                Files.writeString(dir.resolve("short.csv"), "31,2,small,large\n1,2,0\n")).header(Header.SKLEARN).build().load(null, 1));
        assertEquals(dir.resolve("short.csv") + ": the first line announces 31 rows but 1 follow", e.getMessage());
    }

    @Test
    void badValuesNameLineAndColumn() throws Exception {
        Path f = Files.writeString(dir.resolve("bad.csv"), "x,y,label\n1,2,a\n3,oops,b\n5,6,a\n");
        DataException e = assertThrows(DataException.class, () -> TabularSource.fromFile(f).build().load(null, 1));
        assertEquals(f + ":3: column 'y': 'oops' is not a number (declare the column categorical if it is one)", e.getMessage());

        Path missing = Files.writeString(dir.resolve("missing.csv"), "x,y,label\n1,2,a\n3,,b\n5,6,a\n");
        e = assertThrows(DataException.class, () -> TabularSource.fromFile(missing).build().load(null, 1));
        assertEquals(missing + ":3: column 'y' has no value (''); missing values are not supported: fill them in or drop the row", e.getMessage());

        Path ragged = Files.writeString(dir.resolve("ragged.csv"), "x,y,label\n1,2,a\n3,4\n");
        e = assertThrows(DataException.class, () -> TabularSource.fromFile(ragged).build().load(null, 1));
        assertEquals(ragged + ":3: 2 fields, expected 3 as on line 1", e.getMessage());

        e = assertThrows(DataException.class, () -> TabularSource.fromFile(f).target("kind").build().load(null, 1));
        assertEquals(f + ": no target column 'kind'; the columns are [x, y, label]", e.getMessage());
    }

    @Test
    void regressionTargetsAndAPlainHeaderlessFile() throws Exception {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < 40; i++) b.append(i).append(',').append(3 * i + 1).append('\n');
        Path f = Files.writeString(dir.resolve("line.csv"), b.toString());
        Splits s = TabularSource.fromFile(f).regression().split(0.5, 0.25, 0.25).build().load(null, 3);
        assertEquals(20, s.train().size());
        assertEquals(10, s.validation().size());
        assertEquals(1, s.train().targetSize());
        for (int r = 0; r < s.train().size(); r++) assertEquals(0, (s.train().targets()[r] - 1) % 3, 1e-4);
    }
}
