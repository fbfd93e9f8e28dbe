package kiln.dsl;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Batch normalisation per channel, as PyTorch's {@code BatchNorm2d} on an image [C, H, W]
 * (statistics over the batch and the H x W positions) or {@code BatchNorm1d} on a vector [C]. In
 * training it normalises by the batch's mean and (biased) variance and updates the running
 * statistics, {@code running = (1 - momentum) running + momentum batch} (unbiased variance); in
 * inference it uses the running statistics. Parameters {@code <field>.weight} (scale, starts at 1)
 * and {@code <field>.bias} [C]; the running statistics {@code <field>.running_mean} and
 * {@code <field>.running_var} are model state, saved in checkpoints but not trained.
 */
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.FIELD)
public @interface BatchNorm {
    double momentum() default 0.1;

    double eps() default 1e-5;

    /** Applied after the affine step, in the same pass. */
    Activation activation() default Activation.IDENTITY;

    String from() default "";
}
