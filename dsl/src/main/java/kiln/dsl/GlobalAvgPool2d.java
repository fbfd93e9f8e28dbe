package kiln.dsl;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The mean of each channel of an image: [channels, height, width] becomes [channels], already flat,
 * so a dense layer can follow (PyTorch: {@code AdaptiveAvgPool2d(1)} then {@code Flatten}).
 */
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.FIELD)
public @interface GlobalAvgPool2d {
    String from() default "";
}
