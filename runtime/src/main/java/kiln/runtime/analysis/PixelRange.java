package kiln.runtime.analysis;

/** How image values map to grey levels: which value is black and which is white. Values outside are clamped. */
public enum PixelRange {
    /** [0, 1]: 0 black, 1 white (MNIST pixels, a sigmoid decoder). */
    ZERO_TO_ONE(0, 1),
    /** [-1, 1]: -1 black, 1 white (a tanh generator). */
    MINUS_ONE_TO_ONE(-1, 1);

    private final float black, white;

    PixelRange(float black, float white) {
        this.black = black;
        this.white = white;
    }

    /** The grey level in [0, 255] of {@code value}, clamped to the range and rounded; NaN is black. */
    public int grey(float value) {
        float unit = (value - black) / (white - black);
        if (!(unit > 0)) return 0; // also NaN
        if (unit >= 1) return 255;
        return Math.round(unit * 255);
    }
}
