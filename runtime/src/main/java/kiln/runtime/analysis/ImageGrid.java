package kiln.runtime.analysis;

import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * A sheet of grey-scale images, {@code rows} x {@code columns} of them, each height x width
 * values (e.g. 28 x 28 MNIST digits), as an 8-bit grey PNG: inputs next to their
 * reconstructions, samples of a generator. Images are separated, and framed, by {@link #GAP}
 * white pixels; each is enlarged {@code scale} times by repeating pixels (nearest neighbour); with
 * captions, each grid row gets its caption, in black, in a white column on the left (e.g.
 * "corrupted", "reconstructed", "clean").
 *
 * <p>Values map to grey by {@link PixelRange}: [0, 1] by default, [-1, 1] for a tanh generator
 * ({@link #withRange}); values outside are clamped, NaN is black.
 *
 * @param height pixels per image, down
 * @param width pixels per image, across
 * @param rows images down the grid
 * @param columns images across the grid
 * @param scale each pixel drawn as scale x scale
 * @param range which values are black and white
 * @param captions one per grid row, or empty for none
 */
public record ImageGrid(int height, int width, int rows, int columns, int scale, PixelRange range, List<String> captions) {
    /** White pixels between images and around the grid (not scaled). */
    public static final int GAP = 2;
    /** Grey level of the gaps and the caption column. */
    static final int BACKGROUND = 255;
    /** Pixels left and right of the captions' text. */
    static final int CAPTION_PADDING = 6;

    public ImageGrid {
        if (height < 1 || width < 1) throw new IllegalArgumentException("images must be >= 1 x 1 pixels, got " + height + " x " + width);
        if (rows < 1 || columns < 1) throw new IllegalArgumentException("a grid needs >= 1 x 1 cells, got " + rows + " x " + columns);
        if (scale < 1 || scale > 64) throw new IllegalArgumentException("scale must be in [1, 64], got " + scale);
        if (range == null) throw new NullPointerException("range");
        captions = List.copyOf(captions);
        if (!captions.isEmpty() && captions.size() != rows) {
            throw new IllegalArgumentException(captions.size() + " captions for " + rows + " grid rows; give one per row or none");
        }
        long pixels = ((long) rows * (height * (long) scale + GAP) + GAP) * ((long) columns * (width * (long) scale + GAP) + GAP);
        if (pixels > Integer.MAX_VALUE / 2) throw new IllegalArgumentException("a grid of " + pixels + " pixels is too large for one PNG");
    }

    /** A grid of rows x columns images of height x width, at scale 1, values in [0, 1], no captions. */
    public static ImageGrid of(int height, int width, int rows, int columns) {
        return new ImageGrid(height, width, rows, columns, 1, PixelRange.ZERO_TO_ONE, List.of());
    }

    /** This grid with each pixel drawn {@code scale} x {@code scale}. */
    public ImageGrid withScale(int scale) {
        return new ImageGrid(height, width, rows, columns, scale, range, captions);
    }

    /** This grid with values mapped to grey by {@code range}. */
    public ImageGrid withRange(PixelRange range) {
        return new ImageGrid(height, width, rows, columns, scale, range, captions);
    }

    /** This grid with a caption per grid row, in order from the top. */
    public ImageGrid withCaptions(List<String> captions) {
        return new ImageGrid(height, width, rows, columns, scale, range, captions);
    }

    /** This grid with a caption per grid row, in order from the top. */
    public ImageGrid withCaptions(String... captions) {
        return withCaptions(List.of(captions));
    }

    /**
     * Draws {@code images} [count, height * width] (row-major pixels, count at most rows * columns) into
     * the cells row by row, left to right; cells past the last image stay white.
     */
    public BufferedImage render(float[] images) {
        int pixels = height * width;
        if (images.length % pixels != 0) {
            throw new IllegalArgumentException(images.length + " values are not a whole number of " + height + " x " + width + " images");
        }
        int count = images.length / pixels;
        if (count > rows * columns) {
            throw new IllegalArgumentException(count + " images do not fit a " + rows + " x " + columns + " grid");
        }
        Headless.ensure();
        Font font = captions.isEmpty() ? null : captionFont();
        int left = captions.isEmpty() ? 0 : captionColumnWidth(font);
        int cellHeight = height * scale, cellWidth = width * scale;
        int imageWidth = left + GAP + columns * (cellWidth + GAP), imageHeight = GAP + rows * (cellHeight + GAP);
        BufferedImage image = new BufferedImage(imageWidth, imageHeight, BufferedImage.TYPE_BYTE_GRAY);
        byte[] out = ((DataBufferByte) image.getRaster().getDataBuffer()).getData(); // [imageHeight, imageWidth]
        Arrays.fill(out, (byte) BACKGROUND);
        for (int i = 0; i < count; i++) {
            int top = GAP + (i / columns) * (cellHeight + GAP), x0 = left + GAP + (i % columns) * (cellWidth + GAP);
            for (int y = 0; y < cellHeight; y++) {
                int src = i * pixels + (y / scale) * width, dst = (top + y) * imageWidth + x0;
                for (int x = 0; x < cellWidth; x++) out[dst + x] = (byte) range.grey(images[src + x / scale]);
            }
        }
        if (font != null) drawCaptions(image, font, cellHeight);
        return image;
    }

    /** Renders {@code images} (see {@link #render}) and writes the PNG atomically. */
    public void write(Path png, float[] images) throws IOException {
        PngFiles.write(png, render(images));
    }

    private Font captionFont() {
        int size = Math.max(10, Math.min(18, height * scale / 3));
        return new Font(Font.SANS_SERIF, Font.PLAIN, size);
    }

    private int captionColumnWidth(Font font) {
        Graphics2D g = new BufferedImage(1, 1, BufferedImage.TYPE_BYTE_GRAY).createGraphics();
        try {
            FontMetrics metrics = g.getFontMetrics(font);
            int widest = 0;
            for (String caption : captions) widest = Math.max(widest, metrics.stringWidth(caption));
            return widest + 2 * CAPTION_PADDING;
        } finally {
            g.dispose();
        }
    }

    /** Each caption at the left, centred on its grid row. */
    private void drawCaptions(BufferedImage image, Font font, int cellHeight) {
        Graphics2D g = image.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setFont(font);
            g.setColor(Color.BLACK);
            FontMetrics metrics = g.getFontMetrics();
            for (int r = 0; r < rows; r++) {
                int middle = GAP + r * (cellHeight + GAP) + cellHeight / 2;
                g.drawString(captions.get(r), CAPTION_PADDING, middle + (metrics.getAscent() - metrics.getDescent()) / 2);
            }
        } finally {
            g.dispose();
        }
    }
}
