package kiln.dsl;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** Element-wise sum of two or more nodes of the same shape: the join of a residual block. */
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.FIELD)
public @interface Add {
    /** Names of the nodes to add. */
    String[] value();
}
