package kiln.samples.generative;

import java.io.IOException;
import java.util.Locale;
import kiln.runtime.CompiledModel;
import kiln.runtime.cli.ReportContext;
import kiln.runtime.data.Splits;

/**
 * What the image autoencoders' mains print and draw after training: the test reconstructions'
 * errors, the mean activation of the code, and a PNG of test images above their reconstructions.
 */
final class AutoencoderReport {
    private static final int SHOWN = 16;

    private AutoencoderReport() {}

    static Reconstructions write(CompiledModel model, Splits data, ReportContext context, String output, String code)
            throws IOException {
        Reconstructions test = Reconstructions.of(model, data.test(), output, code, SHOWN);
        context.out().println(test.describe("test"));
        if (code != null) context.out().println(String.format(Locale.ROOT, "mean code activation %.4f ('%s')", test.meanCode(), code));
        var png = context.file(".reconstructions.png");
        Reconstructions.writeGrid(png, SHOWN, new float[][] {test.images(), test.reconstructed()}, "test image", "reconstructed");
        context.out().println("reconstructions: " + png);
        return test;
    }
}
