package kiln.samples.generative;

import java.io.IOException;
import kiln.runtime.CompiledModel;
import kiln.runtime.cli.Report;
import kiln.runtime.cli.ReportContext;
import kiln.runtime.data.Splits;
import java.util.Locale;
import kiln.runtime.Batch;
import kiln.runtime.data.Dataset;
import kiln.runtime.kernels.RandomFill;
import kiln.dsl.Activation;
import kiln.dsl.Dense;
import kiln.dsl.Input;
import kiln.dsl.Layer;
import kiln.dsl.Loss;
import kiln.dsl.LossKind;
import kiln.dsl.MaskingNoise;
import kiln.dsl.Model;

/**
 * A denoising autoencoder: in training each pixel of the input is masked to 0 with probability
 * 0.5 (the lecture's "corrupted image -> predicted image"), and the reconstruction is scored
 * against the clean image. Its main corrupts the test images the same way and reports the error of
 * the reconstructions beside the error of the corrupted images themselves.
 */
@Model(data = "mnist", epochs = 20, batch = 128, lr = 1e-3, optimizer = "adam")
public class DenoisingAutoencoder implements Report {
    /** The share of pixels the corruption masks. */
    public static final double MASKED = 0.5;

    @Input(784) Layer image;
    @MaskingNoise(MASKED) Layer corrupted;
    @Dense(units = 256, activation = Activation.RELU) Layer hidden;
    @Dense(units = 64, activation = Activation.RELU) Layer code;
    @Dense(units = 256, activation = Activation.RELU) Layer expand;
    @Dense(units = 784, activation = Activation.SIGMOID) Layer recon;
    @Loss(value = LossKind.BINARY_CROSS_ENTROPY, target = "image") Layer loss;

    private static final int SHOWN = 16;

    /**
     * Corrupts the test images as training did (each pixel masked with probability {@link #MASKED},
     * seeded), reconstructs them (the model's own noise is off in inference), and prints the mean
     * squared error of the reconstructions against the clean images beside that of the corrupted
     * images themselves; draws corrupted, reconstructed and clean rows.
     */
    @Override
    public void write(CompiledModel model, Splits data, ReportContext context) throws IOException {
        Dataset clean = data.test();
        float[] mask = new float[clean.x().length];
        RandomFill.keepMask(mask, mask.length, (float) MASKED, context.seed());
        float[] corrupted = clean.x().clone();
        double corruptedError = 0;
        for (int i = 0; i < corrupted.length; i++) {
            corrupted[i] *= mask[i];
            corruptedError += (double) (corrupted[i] - clean.x()[i]) * (corrupted[i] - clean.x()[i]);
        }
        corruptedError /= corrupted.length;
        Batch batch = Batch.forModel(model, model.maxBatch());
        float[] reconstructed = new float[SHOWN * 784];
        double error = 0;
        for (int from = 0; from < clean.size(); from += model.maxBatch()) {
            int n = Math.min(model.maxBatch(), clean.size() - from);
            System.arraycopy(corrupted, from * 784, batch.x, 0, n * 784);
            batch.size = n;
            model.predict(batch);
            float[] out = model.activation("recon");
            for (int i = 0; i < n * 784; i++) error += (double) (out[i] - clean.x()[from * 784 + i]) * (out[i] - clean.x()[from * 784 + i]);
            int copied = Math.min(n, SHOWN - from);
            if (copied > 0) System.arraycopy(out, 0, reconstructed, from * 784, copied * 784);
        }
        error /= corrupted.length;
        context.out().println(String.format(Locale.ROOT, "test images with %.0f%% of pixels masked: MSE of the reconstructions %.5f"
                + " per pixel, of the corrupted images %.5f (%.2fx)", MASKED * 100, error, corruptedError, error / corruptedError));
        var png = context.file(".denoised.png");
        Reconstructions.writeGrid(png, SHOWN, new float[][] {corrupted, reconstructed, clean.x()}, "corrupted", "reconstructed", "clean");
        context.out().println("reconstructions: " + png);
    }
}
