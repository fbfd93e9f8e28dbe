package kiln.dsl;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Token ids to vectors, as PyTorch {@code nn.Embedding}: reads the model input, a sequence of
 * {@code steps} token ids (whole numbers carried as floats, each in 0..vocab-1), and gives
 * [steps, dim]. The table is the parameter {@code <field>.weight} [vocab, dim], starting
 * Normal(0, 1) as in PyTorch.
 */
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.FIELD)
public @interface Embedding {
    int vocab();

    int dim();

    Init init() default Init.NORMAL;

    /** The input node's name; empty means the node declared just before this one. */
    String from() default "";
}
