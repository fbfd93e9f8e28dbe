package kiln.dsl;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A 2-D convolution over an image [channels, height, width] (NCHW with the batch axis), as
 * PyTorch's {@code nn.Conv2d}: cross-correlation with a square kernel, zero padding on all four
 * sides, output size {@code floor((H + 2 padding - kernel) / stride) + 1}. Parameters are
 * {@code <field>.weight} [outChannels, inChannels, kernel, kernel] and {@code <field>.bias} [outChannels].
 *
 * <pre>{@code @Conv2d(outChannels = 6, kernel = 5, padding = 2, activation = Activation.RELU) Layer conv1;}</pre>
 */
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.FIELD)
public @interface Conv2d {
    int outChannels();

    /** The kernel's height and width. */
    int kernel();

    int stride() default 1;

    int padding() default 0;

    /** The input channels this layer expects; 0 takes them from the input. A mismatch fails the build. */
    int inChannels() default 0;

    /** The input node's name; empty means the node declared just before this one. */
    String from() default "";

    Activation activation() default Activation.IDENTITY;

    boolean bias() default true;

    /** Fan-in is inChannels x kernel x kernel. */
    Init init() default Init.HE_NORMAL;
}
