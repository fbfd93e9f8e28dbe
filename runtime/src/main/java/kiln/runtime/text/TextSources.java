package kiln.runtime.text;

import java.util.List;
import java.util.Locale;
import kiln.dsl.TrainingNames;

/** The built-in text sources by name, for models that name their data ({@code @Model(data = "shakespeare")}). */
public final class TextSources {
    private static final List<String> NAMES = TrainingNames.TEXTS;

    private TextSources() {}

    public static TextSource named(String name) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "shakespeare" -> new ShakespeareSource();
            default -> throw new IllegalArgumentException("unknown text '" + name + "'; known: " + String.join(", ", NAMES));
        };
    }

    public static List<String> names() {
        return NAMES;
    }
}
