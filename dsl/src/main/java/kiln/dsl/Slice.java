package kiln.dsl;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** Positions [start, end) of one axis of the sample (the last unless {@code axis} says otherwise). */
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.FIELD)
public @interface Slice {
    int start();

    /** One past the last position kept. */
    int end();

    /** The axis of the sample shape, or -1 for the last. */
    int axis() default -1;

    String from() default "";
}
