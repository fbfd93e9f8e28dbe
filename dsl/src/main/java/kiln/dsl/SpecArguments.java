package kiln.dsl;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The arguments of a {@code KIND:ARGS} spec, as {@code --schedule} and {@code --early-stop} take
 * them: items separated by commas or colons, each {@code key=value} or a bare value, which fills
 * the next positional key ({@code step:10:0.1} is {@code step:every=10,gamma=0.1}). Keys are
 * case-insensitive and {@code _} is read as {@code -}.
 */
public final class SpecArguments {
    private SpecArguments() {}

    /**
     * The values of {@code args} by key, in the order given.
     *
     * @param keys every key the spec accepts, positional ones first
     * @param positional how many of {@code keys} a bare value may fill, in order
     * @throws IllegalArgumentException naming the item: an unknown key, a repeated one, a bare value past the positional keys
     */
    public static Map<String, String> parse(String args, List<String> keys, int positional) {
        Map<String, String> values = new LinkedHashMap<>();
        int next = 0;
        for (String item : args.split("[,:]")) {
            item = item.strip();
            if (item.isEmpty()) continue;
            int eq = item.indexOf('=');
            String key, value;
            if (eq < 0) {
                if (next >= positional) {
                    throw new IllegalArgumentException("'" + item + "' needs a name (key=value); settings: " + String.join(", ", keys));
                }
                key = keys.get(next++);
                value = item;
            } else {
                key = item.substring(0, eq).strip().toLowerCase(Locale.ROOT).replace('_', '-');
                value = item.substring(eq + 1).strip();
            }
            if (!keys.contains(key)) {
                throw new IllegalArgumentException("unknown setting '" + key + "'; settings: " + String.join(", ", keys));
            }
            if (values.put(key, value) != null) throw new IllegalArgumentException(key + " is given twice");
        }
        return values;
    }

    /** {@code text} as a finite number, or an exception saying what {@code key} expects. */
    public static double number(String key, String text) {
        try {
            double x = Double.parseDouble(text);
            if (Double.isFinite(x)) return x;
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(key + " expects a number, got '" + text + "'");
    }

    /** {@code text} as a whole number, or an exception saying what {@code key} expects. */
    public static int count(String key, String text) {
        try {
            return Integer.parseInt(text.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " expects a whole number, got '" + text + "'");
        }
    }
}
