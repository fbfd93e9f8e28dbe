package kiln.dsl;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A fully connected layer, y = activation(x W^T + b), with W of shape [units, in] as in PyTorch.
 * Parameters are named {@code <field>.weight} and {@code <field>.bias}.
 */
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.FIELD)
public @interface Dense {
    int units();

    /** The input node's name; empty means the node declared just before this one. */
    String from() default "";

    Activation activation() default Activation.IDENTITY;

    boolean bias() default true;

    Init init() default Init.HE_NORMAL;
}
