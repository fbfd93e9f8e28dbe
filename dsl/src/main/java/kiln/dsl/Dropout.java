package kiln.dsl;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Inverted dropout: in training, each value is zeroed with probability {@code value} and the rest
 * are scaled by 1 / (1 - value); in inference it is the identity. The random stream is seeded by
 * the model's seed. {@code @Dropout(0.5) Layer drop;}
 */
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.FIELD)
public @interface Dropout {
    /** The drop probability, in [0, 1). */
    double value();

    String from() default "";
}
