package kiln.runtime.data;

import java.util.List;
import java.util.Locale;

/** The built-in data sources by name, for models and command lines that name their data. */
public final class DataSources {
    private static final List<String> NAMES = List.of("mnist", "fashion-mnist");

    private DataSources() {}

    /** {@code "mnist"} or {@code "fashion-mnist"} (case-insensitive). */
    public static DataSource named(String name) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "mnist" -> new MnistSource();
            case "fashion-mnist" -> new FashionMnistSource();
            default -> throw new IllegalArgumentException("unknown data set '" + name + "'; known: " + String.join(", ", NAMES));
        };
    }

    public static List<String> names() {
        return NAMES;
    }
}
