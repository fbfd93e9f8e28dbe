package kiln.runtime.analysis;

import java.awt.image.RenderedImage;
import java.io.IOException;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import kiln.runtime.io.AtomicFiles;

/** Writes an image as a PNG atomically ({@link AtomicFiles}): readers see the old file or the whole new one. */
final class PngFiles {
    private PngFiles() {}

    static void write(Path png, RenderedImage image) throws IOException {
        AtomicFiles.write(png, out -> {
            if (!ImageIO.write(image, "png", out)) throw new IOException("no PNG writer for this image type");
        });
    }
}
