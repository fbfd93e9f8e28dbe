package kiln.dsl;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * [channels, height, width] viewed as [channels x height x width], feature index
 * {@code c*H*W + h*W + w}: what a dense layer after convolutions reads. Costs nothing: the
 * flattened node shares its input's buffer.
 */
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.FIELD)
public @interface Flatten {
    String from() default "";
}
