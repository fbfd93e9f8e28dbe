package kiln.dsl;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** The model's input: the shape of one sample, without the batch axis (e.g. {@code @Input(784)}). */
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.FIELD)
public @interface Input {
    int[] value();
}
