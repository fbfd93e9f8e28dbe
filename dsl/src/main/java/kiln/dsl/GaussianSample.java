package kiln.dsl;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The reparameterised Gaussian sample of a VAE: z = mean + eps * exp(logVariance / 2), eps drawn
 * from N(0, I) at every forward pass (in training and in inference, as PyTorch's VAE example
 * does; read the mean node for a deterministic code). The gradient flows to both inputs; a
 * {@code @Loss(KL_DIVERGENCE)} on this node regularises them.
 */
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.FIELD)
public @interface GaussianSample {
    /** The node holding the means. */
    String mean();

    /** The node holding the log-variances, of the same shape. */
    String logVariance();
}
