package kiln.dsl;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A loss term on one node. A model may declare several; training minimises their weighted sum,
 * and each is reported on its own. The target is the data's labels or targets, unless
 * {@code target} names an input or a node (an autoencoder compares its output with its own input:
 * {@code @Loss(value = MSE, target = "image")}). The KL divergence reads a {@link GaussianSample}
 * node, the activity penalties any node; they take no target.
 */
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.FIELD)
public @interface Loss {
    LossKind value();

    /** The node the loss reads; empty means the node declared just before this one. */
    String from() default "";

    /** The input or node to compare with; empty means the data's labels or targets. */
    String target() default "";

    /** The term's weight in the total loss. */
    double weight() default 1.0;

    Reduction reduction() default Reduction.DEFAULT;
}
