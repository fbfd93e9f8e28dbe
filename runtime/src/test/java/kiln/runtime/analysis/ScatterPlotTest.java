package kiln.runtime.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ScatterPlotTest {
    @TempDir
    Path dir;

    @Test
    void drawsEveryClassInItsOwnColourWhereItsPointsAre() throws IOException {
        // Ten clusters on a circle, class c at angle 36c degrees; class 0 at the right, class 5 at the left.
        int perClass = 200, classes = 10;
        Random random = new Random(1);
        float[] points = new float[2 * perClass * classes];
        int[] labels = new int[perClass * classes];
        for (int i = 0; i < labels.length; i++) {
            int c = i % classes;
            labels[i] = c;
            double angle = Math.toRadians(36 * c);
            points[2 * i] = (float) (5 * Math.cos(angle) + 0.3 * random.nextGaussian());
            points[2 * i + 1] = (float) (5 * Math.sin(angle) + 0.3 * random.nextGaussian());
        }
        Path png = dir.resolve("latent.png");
        ScatterPlot.of("VAE latent, test set", classes).write(png, points, labels);

        BufferedImage read = ImageIO.read(png.toFile());
        assertEquals(ScatterPlot.DEFAULT_SIZE, read.getWidth());
        assertEquals(ScatterPlot.DEFAULT_SIZE, read.getHeight());
        double[][] centres = new double[classes][];
        for (int c = 0; c < classes; c++) {
            centres[c] = centreOfColour(read, ScatterPlot.color(c).getRGB());
            assertTrue(centres[c][2] > 300, "class " + c + " has " + centres[c][2] + " pixels of its colour");
        }
        assertTrue(centres[0][0] > centres[5][0] + 200, "class 0 right of class 5");
        assertTrue(centres[2][1] < centres[7][1] - 150, "class 2 (upper half) above class 7 (lower half), image y down");
    }

    @Test
    void nonFinitePointsAreLeftOutAndNamesSizeAndAxesAreKept() {
        ScatterPlot plot = ScatterPlot.of("t", 2).withClassNames(List.of("even", "odd")).withAxes("mu 0", "mu 1").withSize(300, 200);
        assertEquals(List.of("even", "odd"), plot.classNames());
        assertEquals("mu 0", plot.xLabel());
        BufferedImage image = plot.render(new float[] {0, 0, 1, 1, Float.NaN, 2, 3, Float.POSITIVE_INFINITY}, new int[] {0, 1, 1, 0});
        assertEquals(300, image.getWidth());
        assertEquals(200, image.getHeight());
    }

    @Test
    void rejectsBadInputWithOneLine() {
        ScatterPlot plot = ScatterPlot.of("t", 3);
        assertEquals("label 3 of point 1 is not a class in [0, 3)", assertThrows(IllegalArgumentException.class,
                () -> plot.render(new float[4], new int[] {0, 3})).getMessage());
        assertEquals("2 labels need 4 coordinates, got 3", assertThrows(IllegalArgumentException.class,
                () -> plot.render(new float[3], new int[2])).getMessage());
        assertEquals("a scatter plot tells 1 to 10 classes apart by colour, got 11", assertThrows(IllegalArgumentException.class,
                () -> ScatterPlot.of("t", 11)).getMessage());
    }

    /** {x, y, count} of the pixels of exactly {@code rgb}. */
    private static double[] centreOfColour(BufferedImage image, int rgb) {
        double x = 0, y = 0, count = 0;
        for (int py = 0; py < image.getHeight(); py++) {
            for (int px = 0; px < image.getWidth(); px++) {
                if ((image.getRGB(px, py) & 0xffffff) == (rgb & 0xffffff)) {
                    x += px;
                    y += py;
                    count++;
                }
            }
        }
        return new double[] {x / count, y / count, count};
    }
}
