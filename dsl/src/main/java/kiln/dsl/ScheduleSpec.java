package kiln.dsl;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A learning-rate schedule written as text, {@code KIND[:ARGS]}, parsed and checked: what
 * {@code @Model(schedule = ...)} declares and what the generated main's {@code --schedule} takes.
 * The processor calls {@link #parse} at compile time and the runtime builds its schedule from the
 * result, so a spec is refused by both or by neither, with the same message.
 *
 * <pre>
 *   step:EVERY[:GAMMA]                        every=E (whole epochs, required), gamma=0.1
 *   exp:GAMMA                                 gamma (required)
 *   cosine[:warmup=E,min=X,period=E]          warmup=0, min=0, period=the run's epochs
 *   plateau[:factor=F,patience=N,cooldown=N,min=X,threshold=T,mode=min|max]
 *                                             factor=0.1, patience=10, cooldown=0, min=0, threshold=1e-4,
 *                                             mode: the monitored figure's (lower or higher is better)
 *   none                                      a constant rate (also "constant"; "exponential" is exp)
 * </pre>
 *
 * @param kind one of {@link TrainingNames#SCHEDULES}
 * @param values every numeric setting of the kind, defaults filled in (whole-number settings hold whole values)
 * @param mode the plateau's "min" or "max" as given, or null to follow the monitored figure
 */
public record ScheduleSpec(String kind, Map<String, Double> values, String mode) {
    /** Each kind's settings, positional ones first, and how many may be given as bare values. */
    private static final Map<String, List<String>> KEYS = Map.of(
            "step", List.of("every", "gamma"),
            "exp", List.of("gamma"),
            "cosine", List.of("warmup", "min", "period"),
            "plateau", List.of("factor", "patience", "cooldown", "min", "threshold", "mode"),
            "none", List.of());
    private static final Map<String, Integer> POSITIONAL = Map.of("step", 2, "exp", 1, "cosine", 0, "plateau", 0, "none", 0);

    public ScheduleSpec {
        if (!KEYS.containsKey(kind)) throw new IllegalArgumentException("unknown schedule kind '" + kind + "'; kinds: " + TrainingNames.SCHEDULES);
        values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }

    /** The constant rate. */
    public static final ScheduleSpec NONE = new ScheduleSpec("none", Map.of(), null);

    /**
     * Parses and checks {@code text} for a run of {@code epochs} epochs (a cosine's period defaults
     * to them); null or blank is {@link #NONE}.
     *
     * @throws IllegalArgumentException with a one-line message that starts with the kind, e.g.
     *     {@code "step: every must be >= 1 epoch, got 0"}; callers prefix where the spec came from
     */
    public static ScheduleSpec parse(String text, int epochs) {
        if (text == null || text.isBlank()) return NONE;
        int colon = text.indexOf(':');
        String kind = (colon < 0 ? text : text.substring(0, colon)).strip().toLowerCase(Locale.ROOT);
        if (kind.equals("exponential")) kind = "exp";
        if (kind.equals("constant")) kind = "none";
        if (!KEYS.containsKey(kind)) {
            throw new IllegalArgumentException(kind + ": unknown schedule; use " + String.join(", ",
                    TrainingNames.SCHEDULES.subList(0, TrainingNames.SCHEDULES.size() - 1)) + " or none");
        }
        try {
            Map<String, String> given = SpecArguments.parse(colon < 0 ? "" : text.substring(colon + 1), KEYS.get(kind), POSITIONAL.get(kind));
            return switch (kind) {
                case "step" -> step(given);
                case "exp" -> exp(given);
                case "cosine" -> cosine(given, epochs);
                case "plateau" -> plateau(given);
                default -> NONE;
            };
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(kind + ": " + e.getMessage(), e);
        }
    }

    /** Setting {@code key}; every setting of the kind is present. */
    public double value(String key) {
        Double v = values.get(key);
        if (v == null) throw new IllegalArgumentException(kind + " has no setting '" + key + "'; it has " + values.keySet());
        return v;
    }

    /** Whether this is the constant rate. */
    public boolean isNone() {
        return kind.equals("none");
    }

    private static ScheduleSpec step(Map<String, String> given) {
        if (!given.containsKey("every")) throw new IllegalArgumentException("needs the epochs between cuts, e.g. step:10 or step:10:0.1");
        int every = SpecArguments.count("every", given.get("every"));
        if (every < 1) throw new IllegalArgumentException("every must be >= 1 epoch, got " + every);
        double gamma = positive("gamma", number(given, "gamma", 0.1));
        return new ScheduleSpec("step", ordered("every", every, "gamma", gamma), null);
    }

    private static ScheduleSpec exp(Map<String, String> given) {
        if (!given.containsKey("gamma")) throw new IllegalArgumentException("needs the factor per epoch, e.g. exp:0.95");
        return new ScheduleSpec("exp", ordered("gamma", positive("gamma", number(given, "gamma", 0))), null);
    }

    private static ScheduleSpec cosine(Map<String, String> given, int epochs) {
        double period = positive("period", number(given, "period", epochs));
        double warmup = nonNegative("warmup", number(given, "warmup", 0));
        double min = nonNegative("min", number(given, "min", 0));
        if (warmup >= period) {
            throw new IllegalArgumentException("warmup (" + warmup + " epochs) must be shorter than the period (" + period + " epochs)");
        }
        return new ScheduleSpec("cosine", ordered("period", period, "warmup", warmup, "min", min), null);
    }

    private static ScheduleSpec plateau(Map<String, String> given) {
        String mode = given.get("mode");
        if (mode != null) {
            mode = mode.toLowerCase(Locale.ROOT);
            if (!mode.equals("min") && !mode.equals("max")) throw new IllegalArgumentException("mode must be min or max, got '" + given.get("mode") + "'");
        }
        double factor = number(given, "factor", 0.1);
        int patience = given.containsKey("patience") ? SpecArguments.count("patience", given.get("patience")) : 10;
        double threshold = number(given, "threshold", 1e-4);
        int cooldown = given.containsKey("cooldown") ? SpecArguments.count("cooldown", given.get("cooldown")) : 0;
        double min = number(given, "min", 0);
        if (!(factor > 0 && factor < 1)) throw new IllegalArgumentException("factor must be in (0, 1), got " + factor);
        if (patience < 0) throw new IllegalArgumentException("patience must be >= 0 epochs, got " + patience);
        if (cooldown < 0) throw new IllegalArgumentException("cooldown must be >= 0 epochs, got " + cooldown);
        nonNegative("threshold", threshold);
        nonNegative("min", min);
        return new ScheduleSpec("plateau", ordered("factor", factor, "patience", patience, "threshold", threshold, "cooldown", cooldown,
                "min", min), mode);
    }

    private static double number(Map<String, String> given, String key, double fallback) {
        String v = given.get(key);
        return v == null ? fallback : SpecArguments.number(key, v);
    }

    private static double positive(String key, double v) {
        if (!(v > 0)) throw new IllegalArgumentException(key + " must be a finite number > 0, got " + v);
        return v;
    }

    private static double nonNegative(String key, double v) {
        if (!(v >= 0)) throw new IllegalArgumentException(key + " must be a finite number >= 0, got " + v);
        return v;
    }

    private static Map<String, Double> ordered(Object... keysAndValues) {
        Map<String, Double> m = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) m.put((String) keysAndValues[i], ((Number) keysAndValues[i + 1]).doubleValue());
        return m;
    }
}
