package kiln.runtime.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {
    @TempDir
    Path dir;

    private List<String> names() throws IOException {
        try (var files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void replacesTheFile() throws Exception {
        Path target = dir.resolve("ckpt");
        Files.writeString(target, "old");
        AtomicFiles.write(target, out -> out.write("new content".getBytes(StandardCharsets.UTF_8)));
        assertEquals("new content", Files.readString(target));
        assertEquals(List.of("ckpt"), names());
    }

    @Test
    void createsAMissingFileAndToleratesAWriterThatCloses() throws Exception {
        Path target = dir.resolve("fresh");
        AtomicFiles.write(target, out -> {
            out.write(42);
            out.close();
        });
        assertEquals(1, Files.size(target));
    }

    @Test
    void aWriterFailingMidwayLeavesTheOldFileAndNoTemporary() throws Exception {
        Path target = dir.resolve("ckpt");
        Files.writeString(target, "previous checkpoint");
        IOException e = assertThrows(IOException.class, () -> AtomicFiles.write(target, out -> {
            out.write(new byte[200_000]); // more than the buffer, so part reaches the temporary file
            throw new IOException("disk full");
        }));
        assertEquals("disk full", e.getMessage());
        assertEquals("previous checkpoint", Files.readString(target));
        assertEquals(List.of("ckpt"), names());

        assertThrows(IllegalStateException.class, () -> AtomicFiles.write(target, out -> {
            out.write(1);
            throw new IllegalStateException("bug in the writer");
        }));
        assertEquals("previous checkpoint", Files.readString(target));
        assertEquals(List.of("ckpt"), names());
    }
}
