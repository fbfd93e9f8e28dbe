package kiln.dsl;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** Adds N(0, sigma^2) noise to every value in training; the identity in inference (a noisy input cell). */
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.FIELD)
public @interface GaussianNoise {
    /** The noise's standard deviation, > 0. */
    double value();

    String from() default "";
}
