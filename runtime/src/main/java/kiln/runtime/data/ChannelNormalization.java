package kiln.runtime.data;

import java.util.Arrays;

/**
 * Per-channel standardisation of NCHW images, {@code (x - mean[c]) / std[c]}, with the mean and
 * standard deviation measured on one data set (the training split) and applied to every split,
 * so that validation and test data are transformed exactly as training data was.
 */
public final class ChannelNormalization {
    private final float[] mean, std;

    private ChannelNormalization(float[] mean, float[] std) {
        this.mean = mean;
        this.std = std;
    }

    /** Mean and (population) standard deviation of each channel over all images in {@code x} [n, C, hw]. */
    public static ChannelNormalization fit(float[] x, int channels, int hw) {
        int n = x.length / (channels * hw);
        float[] mean = new float[channels], std = new float[channels];
        for (int c = 0; c < channels; c++) {
            double sum = 0, squares = 0;
            for (int i = 0; i < n; i++) {
                int base = (i * channels + c) * hw;
                for (int j = 0; j < hw; j++) sum += x[base + j];
            }
            double m = sum / ((double) n * hw);
            for (int i = 0; i < n; i++) {
                int base = (i * channels + c) * hw;
                for (int j = 0; j < hw; j++) squares += (x[base + j] - m) * (x[base + j] - m);
            }
            mean[c] = (float) m;
            std[c] = (float) Math.max(Math.sqrt(squares / ((double) n * hw)), 1e-6);
        }
        return new ChannelNormalization(mean, std);
    }

    /** Standardises {@code x} [n, C, hw] in place. */
    public void apply(float[] x, int hw) {
        int channels = mean.length;
        for (int base = 0; base < x.length; base += hw) {
            int c = (base / hw) % channels;
            float m = mean[c], inv = 1f / std[c];
            for (int j = 0; j < hw; j++) x[base + j] = (x[base + j] - m) * inv;
        }
    }

    public float[] mean() {
        return mean.clone();
    }

    public float[] std() {
        return std.clone();
    }

    @Override
    public String toString() {
        return "mean " + Arrays.toString(mean) + ", std " + Arrays.toString(std);
    }
}
