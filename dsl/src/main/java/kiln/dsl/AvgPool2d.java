package kiln.dsl;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** Average-pooling over square windows of each channel of an image, no padding. */
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.FIELD)
public @interface AvgPool2d {
    int kernel();

    /** 0 means the kernel size (non-overlapping windows). */
    int stride() default 0;

    String from() default "";
}
