package kiln.dsl;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** Element-wise product of two or more nodes of the same shape (gates, masks). */
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.FIELD)
public @interface Multiply {
    /** Names of the nodes to multiply. */
    String[] value();
}
