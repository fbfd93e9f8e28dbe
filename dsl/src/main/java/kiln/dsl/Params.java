package kiln.dsl;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * How a node's parameters train (next to its node annotation): frozen, with their own learning
 * rate scale or weight decay, or not their own at all: shared with another node's (the same
 * tensors, their gradients summed), or, for a dense layer, the transpose of another dense's weight
 * (a tied autoencoder's decoder).
 * <pre>{@code
 * @Dense(units = 64) @Params(frozen = true) Layer encoder;            // a fixed, pretrained encoder
 * @Dense(units = 784) @Params(transposeOf = "encoder") Layer decoder;  // W_dec = W_enc^T
 * }</pre>
 */
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.FIELD)
public @interface Params {
    /** No gradient and no optimizer state: the values stay as initialised or loaded. */
    boolean frozen() default false;

    /** Multiplies the learning rate for these parameters. */
    double lrScale() default 1.0;

    /** These parameters' weight decay; negative means the run's. */
    double weightDecay() default -1.0;

    /** Use this node's parameters (same shapes) instead of declaring new ones. */
    String sharedWith() default "";

    /** A dense layer whose weight is this dense's weight transposed; its bias stays its own. */
    String transposeOf() default "";
}
