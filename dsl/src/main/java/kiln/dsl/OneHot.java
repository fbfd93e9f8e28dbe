package kiln.dsl;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Token ids to one-hot vectors: reads the model input, a sequence of {@code steps} token ids
 * (whole numbers carried as floats, each in 0..classes-1), and gives [steps, classes] of zeros
 * with a 1 at each id. No parameters.
 */
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.FIELD)
public @interface OneHot {
    /** The vocabulary size: ids run 0..value-1. */
    int value();

    /** The input node's name; empty means the node declared just before this one. */
    String from() default "";
}
