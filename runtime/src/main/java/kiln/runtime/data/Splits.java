package kiln.runtime.data;

import java.util.Objects;

/** A data set divided for training: fit on {@code train}, choose by {@code validation}, report {@code test}. */
public record Splits(Dataset train, Dataset validation, Dataset test) {
    public Splits {
        Objects.requireNonNull(train, "train");
        Objects.requireNonNull(validation, "validation");
        Objects.requireNonNull(test, "test");
    }
}
