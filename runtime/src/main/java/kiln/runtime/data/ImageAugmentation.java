package kiln.runtime.data;

/**
 * Random translation and mirroring of NCHW images, the standard CIFAR augmentation: each image
 * is shifted by up to {@code padding} pixels in each direction, the uncovered border filled with 0
 * (a random {@code H x W} crop of the image zero-padded by {@code padding}), and, when
 * {@code horizontalFlip}, mirrored left to right with probability 1/2. Applied in place to a
 * batch's rows; the random draws come from a SplitMix64 state the caller passes in and gets back
 * advanced, so a seed fixes the result. One image of scratch is allocated here; applying
 * allocates nothing. Not thread-safe.
 */
public final class ImageAugmentation {
    private final int channels, height, width, padding;
    private final boolean flip;
    private final float[] scratch;

    public ImageAugmentation(int channels, int height, int width, int padding, boolean horizontalFlip) {
        if (channels < 1 || height < 1 || width < 1 || padding < 0) {
            throw new IllegalArgumentException("bad augmentation: " + channels + "x" + height + "x" + width + ", padding " + padding);
        }
        this.channels = channels;
        this.height = height;
        this.width = width;
        this.padding = padding;
        this.flip = horizontalFlip;
        this.scratch = new float[channels * height * width];
    }

    /** Floats per image, C H W. */
    public int imageSize() {
        return scratch.length;
    }

    /** Augments images [0, n) of {@code x} ([n, C, H, W]) in place; returns the advanced random state. */
    public long apply(float[] x, int n, long state) {
        int size = scratch.length, range = 2 * padding + 1;
        for (int img = 0; img < n; img++) {
            state += 0x9E3779B97F4A7C15L;
            long z = mix(state);
            int dy = (int) (((z >>> 40) * range) >>> 24) - padding;          // [-padding, padding]
            int dx = (int) ((((z >>> 16) & 0xFFFFFF) * range) >>> 24) - padding;
            boolean mirror = flip && (z & 1) != 0;
            if (dy == 0 && dx == 0 && !mirror) continue;
            int base = img * size;
            System.arraycopy(x, base, scratch, 0, size);
            for (int c = 0; c < channels; c++) {
                for (int r = 0; r < height; r++) {
                    int out = base + (c * height + r) * width, sr = r + dy;
                    if (sr < 0 || sr >= height) {
                        java.util.Arrays.fill(x, out, out + width, 0f);
                        continue;
                    }
                    int in = (c * height + sr) * width;
                    for (int col = 0; col < width; col++) {
                        int sc = (mirror ? width - 1 - col : col) + dx;
                        x[out + col] = sc < 0 || sc >= width ? 0f : scratch[in + sc];
                    }
                }
            }
        }
        return state;
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
