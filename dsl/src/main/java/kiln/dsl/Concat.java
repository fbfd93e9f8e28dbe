package kiln.dsl;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Concatenation of two or more nodes along an axis of the sample: the last (features) unless
 * {@code axis} says otherwise (0 is the channels of an image). The other axes must agree.
 */
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.FIELD)
public @interface Concat {
    /** Names of the nodes to join, in order. */
    String[] value();

    /** The axis of the sample shape, or -1 for the last. */
    int axis() default -1;
}
