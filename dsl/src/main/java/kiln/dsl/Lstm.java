package kiln.dsl;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A stack of LSTM layers over a sequence [steps, features], as PyTorch {@code nn.LSTM}: gate blocks
 * in the order (i, f, g, o), {@code c_t = f * c_{t-1} + i * g}, {@code h_t = o * tanh(c_t)}.
 *
 * <p>Parameters are named as PyTorch's, per layer k: {@code <field>.weight_ih_lk} [4*hidden, in] (in is the
 * features for layer 0, hidden above), {@code <field>.weight_hh_lk} [4*hidden, hidden],
 * {@code <field>.bias_ih_lk} and {@code <field>.bias_hh_lk} [4*hidden]; all start uniform in
 * +-1/sqrt(hidden), as in PyTorch. The initial state is zero, or the state the previous forward
 * pass ended with when the model carries its state (truncated backpropagation through time).
 */
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.FIELD)
public @interface Lstm {
    int hidden();

    /** Stacked layers, each reading the hidden states of the one below. */
    int layers() default 1;

    /** Dropout on the hidden states between stacked layers, in training only (PyTorch's {@code dropout}). */
    double dropout() default 0;

    /** Every step's hidden state [steps, hidden], or the last one [hidden]. */
    Returns returns() default Returns.SEQUENCE;

    /** The input node's name; empty means the node declared just before this one. */
    String from() default "";
}
