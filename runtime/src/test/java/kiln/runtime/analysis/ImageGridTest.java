package kiln.runtime.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageGridTest {
    @TempDir
    Path dir;

    @Test
    void writesAGridOfImagesWithTwoPixelGaps() throws IOException {
        int h = 4, w = 5, n = 6;
        float[] images = new float[n * h * w];
        for (int i = 0; i < n; i++) {
            for (int p = 0; p < h * w; p++) images[i * h * w + p] = (i + 1) / 10f; // image i all one grey
        }
        images[2 * h * w + 1 * w + 3] = 1; // image 2, pixel (y 1, x 3) white
        Path png = dir.resolve("grid.png");
        ImageGrid.of(h, w, 2, 3).write(png, images);

        BufferedImage read = ImageIO.read(png.toFile());
        assertEquals(2 + 3 * (w + 2), read.getWidth());
        assertEquals(2 + 2 * (h + 2), read.getHeight());
        assertEquals(255, grey(read, 0, 0), "frame");
        assertEquals(255, grey(read, 2 + w, 2), "gap between columns");
        assertEquals(26, grey(read, 2, 2), "image 0: 0.1 -> round(25.5)");
        assertEquals(51, grey(read, 2 + (w + 2), 2), "image 1, right of image 0: 0.2");
        assertEquals(102, grey(read, 2, 2 + (h + 2)), "image 3, first of the second row: 0.4");
        assertEquals(255, grey(read, 2 + 2 * (w + 2) + 3, 2 + 1), "image 2's white pixel at x 3, y 1");
        assertEquals(77, grey(read, 2 + 2 * (w + 2) + 2, 2 + 1), "its neighbour: 0.3 -> round(76.5)");
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of(png), files.toList(), "an atomic write leaves no temporary file behind");
        }
    }

    @Test
    void scaleRepeatsEachPixelAndLeavesTheGapAtTwo() {
        float[] image = {0, 1, 1, 0}; // 2 x 2 checker
        BufferedImage grid = ImageGrid.of(2, 2, 1, 1).withScale(3).render(image);
        assertEquals(2 + 6 + 2, grid.getWidth());
        assertEquals(2 + 6 + 2, grid.getHeight());
        for (int y = 0; y < 6; y++) {
            for (int x = 0; x < 6; x++) {
                int want = (y / 3 + x / 3) % 2 == 1 ? 255 : 0;
                assertEquals(want, grey(grid, 2 + x, 2 + y), "at " + x + ", " + y);
            }
        }
    }

    @Test
    void valuesAreClampedAndNaNIsBlack() {
        BufferedImage grid = ImageGrid.of(1, 4, 1, 1).render(new float[] {-0.5f, 1.7f, 0.5f, Float.NaN});
        assertEquals(0, grey(grid, 2, 2));
        assertEquals(255, grey(grid, 3, 2));
        assertEquals(128, grey(grid, 4, 2));
        assertEquals(0, grey(grid, 5, 2));
    }

    @Test
    void tanhOutputsMapMinusOneToBlackAndOneToWhite() {
        BufferedImage grid = ImageGrid.of(1, 4, 1, 1).withRange(PixelRange.MINUS_ONE_TO_ONE).render(new float[] {-1, 0, 1, -3});
        assertEquals(0, grey(grid, 2, 2));
        assertEquals(128, grey(grid, 3, 2));
        assertEquals(255, grey(grid, 4, 2));
        assertEquals(0, grey(grid, 5, 2));
    }

    @Test
    void cellsPastTheLastImageStayWhite() {
        BufferedImage grid = ImageGrid.of(2, 2, 2, 2).render(new float[3 * 4]); // three black images of four cells
        assertEquals(0, grey(grid, 2, 2 + 4));
        assertEquals(255, grey(grid, 2 + 4, 2 + 4), "fourth cell");
    }

    @Test
    void captionsGoInAColumnOnTheLeftOfTheirRows() throws IOException {
        int h = 28, w = 28;
        float[] images = new float[6 * h * w]; // all black
        Path png = dir.resolve("captioned.png");
        ImageGrid grid = ImageGrid.of(h, w, 3, 2).withScale(2).withCaptions("corrupted", "reconstructed", "clean");
        grid.write(png, images);
        BufferedImage read = ImageIO.read(png.toFile());
        int plainWidth = 2 + 2 * (2 * w + 2);
        int left = read.getWidth() - plainWidth;
        assertTrue(left > 40, "a caption column " + left + " pixels wide");
        assertEquals(2 + 3 * (2 * h + 2), read.getHeight());
        for (int r = 0; r < 3; r++) {
            int top = 2 + r * (2 * h + 2);
            assertTrue(darkPixels(read, 0, left, top, top + 2 * h) > 20, "caption text of row " + r);
            assertEquals(0, grey(read, left + 2, top), "image cell right of the caption column");
        }
        assertEquals(0, darkPixels(read, 0, left, 0, 2), "nothing drawn in the frame above the first row");
    }

    @Test
    void rejectsBadShapesWithOneLine() {
        assertEquals("2 captions for 3 grid rows; give one per row or none", assertThrows(IllegalArgumentException.class,
                () -> ImageGrid.of(2, 2, 3, 1).withCaptions("a", "b")).getMessage());
        assertEquals("10 values are not a whole number of 2 x 2 images", assertThrows(IllegalArgumentException.class,
                () -> ImageGrid.of(2, 2, 3, 1).render(new float[10])).getMessage());
        assertEquals("4 images do not fit a 3 x 1 grid", assertThrows(IllegalArgumentException.class,
                () -> ImageGrid.of(2, 2, 3, 1).render(new float[16])).getMessage());
        assertEquals("scale must be in [1, 64], got 0", assertThrows(IllegalArgumentException.class,
                () -> ImageGrid.of(2, 2, 3, 1).withScale(0)).getMessage());
        assertEquals("a grid needs >= 1 x 1 cells, got 0 x 1", assertThrows(IllegalArgumentException.class,
                () -> ImageGrid.of(2, 2, 0, 1)).getMessage());
    }

    /** The 8-bit grey level at (x, y), from the raster (getRGB would convert the linear grey space). */
    static int grey(BufferedImage image, int x, int y) {
        return image.getRaster().getSample(x, y, 0);
    }

    private static int darkPixels(BufferedImage image, int x0, int x1, int y0, int y1) {
        int dark = 0;
        for (int y = y0; y < y1; y++) for (int x = x0; x < x1; x++) if (grey(image, x, y) < 128) dark++;
        return dark;
    }
}
