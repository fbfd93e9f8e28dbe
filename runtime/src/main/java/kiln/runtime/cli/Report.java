package kiln.runtime.cli;

import java.io.IOException;
import kiln.runtime.CompiledModel;
import kiln.runtime.data.Splits;

/**
 * What a model's main does besides training and scoring: the figures and pictures of its own
 * (an autoencoder's reconstructions, a linear autoencoder's comparison with the SVD, a VAE's
 * generated digits). The main calls it after training, with the trained weights (the best ones
 * when early stopping kept them), and after {@code --eval}, with the checkpoint's; the model is in
 * inference mode. A {@code @Model} class that implements it has its generated main call it.
 */
public interface Report {
    void write(CompiledModel model, Splits data, ReportContext context) throws IOException;

    /** Whether the report writes generated images when {@code --sample N} asks for them ({@link ReportContext#samples()}). */
    default boolean generates() {
        return false;
    }
}
