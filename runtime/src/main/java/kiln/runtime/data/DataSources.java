package kiln.runtime.data;

import java.util.List;
import java.util.Locale;
import kiln.dsl.TrainingNames;

/** The built-in data sources by name, for models and command lines that name their data. */
public final class DataSources {
    private static final List<String> NAMES = TrainingNames.DATA_SETS;

    private DataSources() {}

    /** {@code "mnist"}, {@code "fashion-mnist"} or {@code "cifar-10"} (case-insensitive). */
    public static DataSource named(String name) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "mnist" -> new MnistSource();
            case "fashion-mnist" -> new FashionMnistSource();
            case "cifar-10" -> new Cifar10Source();
            default -> throw new IllegalArgumentException("unknown data set '" + name + "'; known: " + String.join(", ", NAMES));
        };
    }

    public static List<String> names() {
        return NAMES;
    }
}
