package kiln.dsl;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** LeakyReLU: x for x > 0, slope * x otherwise (PyTorch's negative_slope, 0.01 by default). */
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.FIELD)
public @interface LeakyRelu {
    double slope() default 0.01;

    String from() default "";
}
