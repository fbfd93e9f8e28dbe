package kiln.samples.generative;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import kiln.runtime.Batch;
import kiln.runtime.CompiledModel;
import kiln.runtime.analysis.ImageGrid;
import kiln.runtime.data.Dataset;

/**
 * An autoencoder's reconstructions of a data set, read in batches in inference mode: the mean
 * squared error and the mean binary cross-entropy per pixel against the images, the mean of a code
 * node, and the first images and their reconstructions for a picture. What the samples' reports
 * print and draw.
 *
 * @param mse the mean over all pixels of (reconstruction - image)^2
 * @param bce the mean over all pixels of -(x log y + (1 - x) log(1 - y)), logs clamped at -100 as PyTorch does
 * @param meanCode the mean value of the code node over all images and units (NaN when none was asked)
 * @param images the first {@code shown} images [shown, pixels]
 * @param reconstructed their reconstructions [shown, pixels]
 */
record Reconstructions(double mse, double bce, double meanCode, float[] images, float[] reconstructed) {
    /** Reconstructs {@code data} (inputs already as the model reads them) with output node {@code output}; {@code code}: a node to average, or null. */
    static Reconstructions of(CompiledModel model, Dataset data, String output, String code, int shown) {
        int pixels = model.inputSize(), rows = Math.min(model.maxBatch(), 256);
        Batch batch = Batch.forModel(model, model.maxBatch());
        float[] images = new float[shown * pixels], reconstructed = new float[shown * pixels];
        double squared = 0, crossEntropy = 0, codeSum = 0;
        long codeCount = 0;
        for (int from = 0; from < data.size(); from += rows) {
            int n = Math.min(rows, data.size() - from);
            data.copyRange(from, n, batch);
            model.predict(batch);
            float[] out = model.activation(output);
            for (int i = 0; i < n * pixels; i++) {
                float x = batch.x[i], r = out[i];
                squared += (double) (r - x) * (r - x);
                crossEntropy -= x * Math.max(Math.log(r), -100.0) + (1 - x) * Math.max(Math.log(1 - r), -100.0);
            }
            if (code != null) {
                float[] c = model.activation(code);
                int size = codeSize(model, code);
                for (int i = 0; i < n * size; i++) codeSum += c[i];
                codeCount += (long) n * size;
            }
            int copied = Math.min(n, shown - from);
            if (copied > 0) {
                System.arraycopy(batch.x, 0, images, from * pixels, copied * pixels);
                System.arraycopy(out, 0, reconstructed, from * pixels, copied * pixels);
            }
        }
        long count = (long) data.size() * pixels;
        return new Reconstructions(squared / count, crossEntropy / count, codeCount == 0 ? Double.NaN : codeSum / codeCount,
                images, reconstructed);
    }

    private static int codeSize(CompiledModel model, String node) {
        int size = 1;
        for (int d : model.shapeOf(node)) size *= d;
        return size;
    }

    /** A PNG of {@code rows} of {@code columns} images, one row per picture set, captioned. */
    static void writeGrid(Path png, int columns, float[][] rowsOfImages, String... captions) throws IOException {
        float[] all = new float[rowsOfImages.length * columns * 784];
        for (int r = 0; r < rowsOfImages.length; r++) System.arraycopy(rowsOfImages[r], 0, all, r * columns * 784, columns * 784);
        ImageGrid.of(28, 28, rowsOfImages.length, columns).withScale(2).withCaptions(captions).write(png, all);
    }

    /**
     * {@code "test reconstructions: MSE 0.0123 per pixel, BCE 0.0950 per pixel"}; without the BCE
     * when reconstructions leave (0, 1) (a linear decoder), where it is undefined.
     */
    String describe(String what) {
        String line = String.format(Locale.ROOT, "%s reconstructions: MSE %.5f per pixel", what, mse);
        return Double.isNaN(bce) ? line : line + String.format(Locale.ROOT, ", BCE %.5f per pixel", bce);
    }
}
