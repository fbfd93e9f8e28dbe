package kiln.runtime.io;

import java.io.BufferedOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Replaces a file all at once: readers and a crash see either the old content or the complete new
 * content, never a half-written file. Used for checkpoints, which a crash must not destroy. A
 * temporary file that a killed writer left behind is removed by the next write of the same file.
 */
public final class AtomicFiles {
    private AtomicFiles() {}

    /**
     * Runs {@code writer} on a temporary file next to {@code target}, forces it to disk, then
     * renames it over {@code target}. If the writer or any step fails, the temporary file is
     * deleted and {@code target} is left as it was. The writer may close the stream or not.
     */
    public static void write(Path target, IOConsumer<OutputStream> writer) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        removeStaleTemporaries(dir, target.getFileName().toString());
        // Same directory, so the rename is on one file system and can be atomic.
        Path tmp = dir.resolve("." + target.getFileName() + "." + ProcessHandle.current().pid() + "." + System.nanoTime() + ".tmp");
        try {
            try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                OutputStream out = new BufferedOutputStream(new FilterOutputStream(Channels.newOutputStream(channel)) {
                    @Override
                    public void write(byte[] b, int off, int len) throws IOException {
                        out.write(b, off, len); // FilterOutputStream's default writes byte by byte
                    }

                    @Override
                    public void close() throws IOException {
                        flush(); // keep the channel open for force()
                    }
                }, 1 << 16);
                writer.accept(out);
                out.flush();
                channel.force(true);
            }
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (Throwable t) {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException e) {
                t.addSuppressed(e);
            }
            throw t;
        }
        syncDirectory(dir);
    }

    /**
     * Deletes temporary files of {@code name} left by processes that died while writing (kill -9,
     * power loss): {@code .<name>.<pid>.<nanos>.tmp} whose pid is no longer running. A live
     * writer's file is left alone.
     */
    private static void removeStaleTemporaries(Path dir, String name) {
        String prefix = "." + name + ".";
        try (java.nio.file.DirectoryStream<Path> files = Files.newDirectoryStream(dir, path -> {
            String f = path.getFileName().toString();
            return f.startsWith(prefix) && f.endsWith(".tmp");
        })) {
            for (Path f : files) {
                String[] parts = f.getFileName().toString().substring(prefix.length()).split("\\.");
                if (parts.length != 3) continue;
                long pid;
                try {
                    pid = Long.parseLong(parts[0]);
                } catch (NumberFormatException e) {
                    continue;
                }
                if (ProcessHandle.of(pid).isEmpty()) Files.deleteIfExists(f);
            }
        } catch (IOException | RuntimeException e) {
            // Housekeeping only: a leftover temporary file wastes space but harms nothing.
        }
    }

    /** Makes the rename itself durable; some platforms cannot open a directory, and then this is skipped. */
    private static void syncDirectory(Path dir) {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // Not fatal: the file is complete; only its name may not survive a power cut yet.
        }
    }
}
