package kiln.dsl;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Max-pooling over square windows of each channel of an image, no padding; the gradient goes to
 * each window's arg-max. The windows must cover the input exactly: a remainder fails the build.
 */
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.FIELD)
public @interface MaxPool2d {
    int kernel();

    /** 0 means the kernel size (non-overlapping windows). */
    int stride() default 0;

    String from() default "";
}
