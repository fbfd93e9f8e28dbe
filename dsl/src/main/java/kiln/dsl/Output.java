package kiln.dsl;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a node (next to its node annotation) as an output of the model: its value is always
 * stored (never fused away), and a caller may seed its gradient, so another model's input
 * gradient can drive this model's backward (a generator trained through a discriminator). A model
 * without a loss needs at least one output.
 */
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.FIELD)
public @interface Output {}
