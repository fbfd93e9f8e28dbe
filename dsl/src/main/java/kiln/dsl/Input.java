package kiln.dsl;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * An input of the model: the shape of one sample, without the batch axis (e.g. {@code @Input(784)}).
 * A model may have several; data sources feed them by name (the field's).
 */
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.FIELD)
public @interface Input {
    int[] value();

    /** What the input carries; inferred from its shape and readers unless given. */
    InputKind kind() default InputKind.AUTO;
}
