package kiln.dsl;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** An element-wise activation (or a row-wise softmax) as a node of its own. */
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.FIELD)
public @interface Activate {
    Activation value();

    /** The input node's name; empty means the node declared just before this one. */
    String from() default "";
}
