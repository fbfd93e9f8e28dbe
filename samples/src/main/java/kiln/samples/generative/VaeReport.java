package kiln.samples.generative;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.SplittableRandom;
import kiln.runtime.Batch;
import kiln.runtime.CompiledModel;
import kiln.runtime.Param;
import kiln.runtime.analysis.ImageGrid;
import kiln.runtime.analysis.ScatterPlot;
import kiln.runtime.cli.ReportContext;
import kiln.runtime.data.Dataset;
import kiln.runtime.data.Splits;

/**
 * What a VAE's main prints and draws after training: the test set's negative ELBO per image in
 * nats (the binary cross-entropy summed over pixels plus the KL term, as PyTorch's example prints
 * its test loss), reconstructions, digits decoded from draws of N(0, I) ({@code --sample N}), and,
 * for a 2-dimensional code, the test images' codes coloured by digit.
 */
final class VaeReport {
    private static final int SHOWN = 16;

    private VaeReport() {}

    /** {@code decoder} is the model's decoder half, for {@code latent}-dimensional codes; its weights are copied from {@code model}. */
    static void write(CompiledModel model, CompiledModel decoder, int latent, Splits data, ReportContext context) throws IOException {
        Dataset test = data.test();
        Batch batch = Batch.forModel(model, model.maxBatch());
        double elbo = 0;
        float[] codes = new float[test.size() * latent];
        for (int from = 0; from < test.size(); from += model.maxBatch()) {
            int n = Math.min(model.maxBatch(), test.size() - from);
            test.copyRange(from, n, batch);
            model.predict(batch);
            model.loss(batch); // both terms are sums over the batch
            elbo += model.lossTerm(0) + model.lossTerm(1);
            System.arraycopy(model.activation("mu"), 0, codes, from * latent, n * latent);
        }
        context.out().println(String.format(Locale.ROOT, "test negative ELBO %.2f nats per image (%,d images)", elbo / test.size(),
                test.size()));
        AutoencoderReport.write(model, data, context, "recon", null);
        if (context.samples() > 0) writeSamples(model, decoder, latent, context);
        if (latent == 2) {
            Path png = context.file(".codes.png");
            try {
                ScatterPlot.of(model.name() + ": test codes (means) by digit", 10).withAxes("z1", "z2").write(png, codes, test.labels());
                context.out().println("codes: " + png);
            } catch (LinkageError e) { // JFreeChart missing from the class path
                context.out().println("note: could not draw the codes into " + png + ": " + e);
            }
        }
    }

    /** Decodes {@code context.samples()} draws of N(0, I) with the trained decoder weights into a PNG grid. */
    private static void writeSamples(CompiledModel model, CompiledModel decoder, int latent, ReportContext context) throws IOException {
        for (Param p : decoder.params()) System.arraycopy(model.param(p.name).value, 0, p.value, 0, p.size());
        int count = context.samples(), columns = Math.min(count, 16), rows = (count + columns - 1) / columns;
        float[] images = new float[rows * columns * 784];
        SplittableRandom random = new SplittableRandom(context.seed());
        Batch z = Batch.forModel(decoder, decoder.maxBatch());
        for (int from = 0; from < count; from += decoder.maxBatch()) {
            int n = Math.min(decoder.maxBatch(), count - from);
            for (int i = 0; i < n * latent; i++) z.x[i] = (float) random.nextGaussian();
            z.size = n;
            decoder.predict(z);
            System.arraycopy(decoder.activation("recon"), 0, images, from * 784, n * 784);
        }
        Path png = context.file(".samples.png");
        ImageGrid.of(28, 28, rows, columns).withScale(2).write(png, images);
        context.out().println(count + " generated digits: " + png);
    }
}
