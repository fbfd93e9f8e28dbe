package kiln.runtime.optim;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import kiln.runtime.Param;

/** Constructor and setter checks shared by the optimizers; each message names the value it rejects. */
final class ArgumentChecks {
    private ArgumentChecks() {}

    // The negated comparisons (!(v > 0)) also reject NaN.

    static double positive(String name, double value) {
        if (!(value > 0) || Double.isInfinite(value)) {
            throw new IllegalArgumentException(name + " must be a finite number > 0, got " + value);
        }
        return value;
    }

    static double nonNegative(String name, double value) {
        if (!(value >= 0) || Double.isInfinite(value)) {
            throw new IllegalArgumentException(name + " must be a finite number >= 0, got " + value);
        }
        return value;
    }

    /** For momentum and Adam's betas: 1 would never forget a gradient, so the range is [0, 1). */
    static double decayRate(String name, double value) {
        if (!(value >= 0 && value < 1)) {
            throw new IllegalArgumentException(name + " must be in [0, 1), got " + value);
        }
        return value;
    }

    /** Parameters as an array (steps index it without an iterator); names must be distinct because state keys use them. */
    static Param[] distinctParams(List<Param> params) {
        Param[] array = params.toArray(new Param[0]);
        Set<String> seen = new HashSet<>();
        for (Param p : array) {
            if (p == null) throw new IllegalArgumentException("params contains null: " + params);
            if (!seen.add(p.name)) {
                throw new IllegalArgumentException("two parameters are named '" + p.name + "'; optimizer state is keyed by name");
            }
        }
        return array;
    }
}
