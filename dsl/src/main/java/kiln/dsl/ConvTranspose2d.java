package kiln.dsl;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A transposed 2-D convolution, as PyTorch's {@code nn.ConvTranspose2d}: the adjoint of a
 * convolution, which up-samples (e.g. the decoder of a convolutional autoencoder). Output size
 * {@code (H - 1) stride - 2 padding + kernel + outputPadding}. Parameters are {@code <field>.weight}
 * [inChannels, outChannels, kernel, kernel] (PyTorch's layout) and {@code <field>.bias} [outChannels].
 */
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.FIELD)
public @interface ConvTranspose2d {
    int outChannels();

    int kernel();

    int stride() default 1;

    int padding() default 0;

    /** Extra rows and columns at the bottom and right of the output (must be less than stride). */
    int outputPadding() default 0;

    /** The input channels this layer expects; 0 takes them from the input. A mismatch fails the build. */
    int inChannels() default 0;

    String from() default "";

    Activation activation() default Activation.IDENTITY;

    boolean bias() default true;

    /** Fan-in is inChannels x kernel x kernel. */
    Init init() default Init.HE_NORMAL;
}
