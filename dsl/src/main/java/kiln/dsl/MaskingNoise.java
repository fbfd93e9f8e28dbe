package kiln.dsl;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Masking noise: in training each value is set to 0 with probability {@code value}, the others
 * kept as they are (no rescaling, unlike dropout): the denoising autoencoder's corruption. The
 * identity in inference.
 */
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.FIELD)
public @interface MaskingNoise {
    /** The probability that a value is masked, in [0, 1). */
    double value();

    String from() default "";
}
