package kiln.dsl;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** The training objective, applied to one node: every model has exactly one, declared last. */
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.FIELD)
public @interface Loss {
    LossKind value();

    /** The node the loss reads; empty means the node declared just before this one. */
    String from() default "";
}
