package kiln.runtime.io;

import java.io.IOException;

/** A consumer that may throw {@link IOException}: the body of a write. */
@FunctionalInterface
public interface IOConsumer<T> {
    void accept(T value) throws IOException;
}
