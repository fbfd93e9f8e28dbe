package kiln.runtime.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import kiln.runtime.optim.CosineAnnealing;
import kiln.runtime.optim.ExponentialDecay;
import kiln.runtime.optim.LearningRateSchedule;
import kiln.runtime.optim.ReduceOnPlateau;
import kiln.runtime.optim.StepDecay;
import kiln.runtime.train.EarlyStopping;
import kiln.runtime.train.Monitor;

/**
 * The {@code KIND[:ARGS]} values of {@code --schedule} and {@code --early-stop}. ARGS are separated
 * by commas or colons; each is {@code key=value} or a bare value, which fills the kind's next
 * positional key ({@code step:10:0.1} is {@code step:every=10,gamma=0.1}). Unknown kinds and keys,
 * repeated keys and bad numbers are {@link UsageException}s naming the option.
 */
final class SpecSyntax {
    /** Every schedule kind, its positional keys and all its keys. */
    private static final Map<String, List<String>> SCHEDULE_KEYS = Map.of(
            "step", List.of("every", "gamma"),
            "exp", List.of("gamma"),
            "cosine", List.of("warmup", "min", "period"),
            "plateau", List.of("factor", "patience", "cooldown", "min", "threshold", "mode"));
    private static final Map<String, Integer> POSITIONAL = Map.of("step", 2, "exp", 1, "cosine", 0, "plateau", 0);

    static final String SCHEDULE_HELP = """
            SCHEDULES (--schedule KIND[:ARGS]; ARGS are key=value separated by commas, or values in the listed order)
              step:EVERY[:GAMMA]        multiply lr by GAMMA (default 0.1) every EVERY epochs; e.g. step:10:0.1 (PyTorch StepLR)
              exp:GAMMA                 multiply lr by GAMMA every epoch (ExponentialLR)
              cosine[:warmup=E,min=X,period=E]
                                        rise linearly to lr over E epochs (default 0), then follow a cosine down to
                                        min (default 0) at the end of period (default: all epochs); updated every step
              plateau[:factor=F,patience=N,cooldown=N,min=X,threshold=T,mode=min|max]
                                        multiply lr by factor (0.1) after more than patience (10) epochs in which the
                                        validation --monitor figure did not improve by a fraction threshold (1e-4);
                                        then let cooldown (0) epochs pass before counting again; never go below min
                                        (0). mode follows --monitor (PyTorch ReduceLROnPlateau, rel mode)
              none                      constant lr (the default)
            """;

    private SpecSyntax() {}

    /** {@code text} split into its kind and arguments; bare values are named by {@code positional}. */
    private record Spec(String option, String kind, Map<String, String> args) {
        String take(String key) {
            return args.remove(key);
        }

        double number(String key, double fallback) throws UsageException {
            String v = take(key);
            if (v == null) return fallback;
            try {
                double x = Double.parseDouble(v);
                if (Double.isFinite(x)) return x;
            } catch (NumberFormatException e) {
                // reported below
            }
            throw new UsageException(option + " " + kind + ": " + key + " expects a number, got '" + v + "'");
        }

        int count(String key, int fallback) throws UsageException {
            String v = take(key);
            if (v == null) return fallback;
            try {
                return Integer.parseInt(v);
            } catch (NumberFormatException e) {
                throw new UsageException(option + " " + kind + ": " + key + " expects a whole number, got '" + v + "'");
            }
        }

        void done() throws UsageException {
            if (!args.isEmpty()) throw new UsageException(option + " " + kind + ": unknown setting " + args.keySet().iterator().next());
        }
    }

    private static Spec split(String option, String text, List<String> keys, int positional) throws UsageException {
        int colon = text.indexOf(':');
        String kind = (colon < 0 ? text : text.substring(0, colon)).strip().toLowerCase(Locale.ROOT);
        Map<String, String> args = new LinkedHashMap<>();
        if (colon >= 0) {
            int next = 0;
            for (String item : text.substring(colon + 1).split("[,:]")) {
                item = item.strip();
                if (item.isEmpty()) continue;
                int eq = item.indexOf('=');
                String key, value;
                if (eq < 0) {
                    if (next >= positional) {
                        throw new UsageException(option + " " + kind + ": '" + item + "' needs a name (key=value); settings: "
                                + String.join(", ", keys));
                    }
                    key = keys.get(next++);
                    value = item;
                } else {
                    key = item.substring(0, eq).strip().toLowerCase(Locale.ROOT).replace('_', '-');
                    value = item.substring(eq + 1).strip();
                }
                if (!keys.contains(key)) {
                    throw new UsageException(option + " " + kind + ": unknown setting '" + key + "'; settings: " + String.join(", ", keys));
                }
                if (args.put(key, value) != null) throw new UsageException(option + " " + kind + ": " + key + " is given twice");
            }
        }
        return new Spec(option, kind, args);
    }

    /** Checks a schedule spec without building it (the epoch count may still change). */
    static void checkSchedule(String text, int epochs, Monitor monitor) throws UsageException {
        schedule(text, epochs, monitor);
    }

    /** The schedule {@code text} names for a run of {@code epochs}; null for {@code none}. */
    static LearningRateSchedule schedule(String text, int epochs, Monitor monitor) throws UsageException {
        if (text == null || text.strip().equalsIgnoreCase("none") || text.strip().equalsIgnoreCase("constant")) return null;
        String kind = text.split(":", 2)[0].strip().toLowerCase(Locale.ROOT);
        if (kind.equals("exponential")) kind = "exp";
        if (!SCHEDULE_KEYS.containsKey(kind)) {
            throw new UsageException("--schedule: unknown schedule '" + kind + "'; use step, exp, cosine, plateau or none");
        }
        String rest = text.contains(":") ? text.substring(text.indexOf(':')) : "";
        Spec s = split("--schedule", kind + rest, SCHEDULE_KEYS.get(kind), POSITIONAL.get(kind));
        try {
            LearningRateSchedule schedule = switch (kind) {
                case "step" -> {
                    if (!s.args.containsKey("every")) throw new UsageException("--schedule step: needs the epochs between cuts, e.g. step:10 or step:10:0.1");
                    yield new StepDecay(s.count("every", 0), s.number("gamma", 0.1));
                }
                case "exp" -> {
                    if (!s.args.containsKey("gamma")) throw new UsageException("--schedule exp: needs the factor per epoch, e.g. exp:0.95");
                    yield new ExponentialDecay(s.number("gamma", 0));
                }
                case "cosine" -> new CosineAnnealing(s.number("period", epochs), s.number("warmup", 0), s.number("min", 0));
                case "plateau" -> {
                    String mode = s.take("mode");
                    ReduceOnPlateau.Mode m = mode == null ? (monitor.maximize() ? ReduceOnPlateau.Mode.MAX : ReduceOnPlateau.Mode.MIN)
                            : switch (mode.toLowerCase(Locale.ROOT)) {
                                case "min" -> ReduceOnPlateau.Mode.MIN;
                                case "max" -> ReduceOnPlateau.Mode.MAX;
                                default -> throw new UsageException("--schedule plateau: mode must be min or max, got '" + mode + "'");
                            };
                    yield new ReduceOnPlateau(m, s.number("factor", 0.1), s.count("patience", 10), s.number("threshold", 1e-4),
                            s.count("cooldown", 0), s.number("min", 0));
                }
                default -> throw new AssertionError(kind);
            };
            s.done();
            return schedule;
        } catch (IllegalArgumentException e) {
            throw new UsageException("--schedule " + kind + ": " + e.getMessage());
        }
    }

    /** {@code PATIENCE[:min-delta=X]} or {@code patience=N,min-delta=X}. */
    static EarlyStopping earlyStopping(String text) throws UsageException {
        Spec s = split("--early-stop", "early-stop:" + text, List.of("patience", "min-delta"), 2);
        if (!s.args.containsKey("patience")) throw new UsageException("--early-stop: needs the patience in epochs, e.g. --early-stop 5");
        try {
            EarlyStopping e = new EarlyStopping(s.count("patience", 0), s.number("min-delta", 0));
            s.done();
            return e;
        } catch (IllegalArgumentException e) {
            throw new UsageException("--early-stop: " + e.getMessage());
        }
    }

    /** {@code NAME=VALUES} of {@code --size}. */
    static String[] size(String text) throws UsageException {
        int eq = text.indexOf('=');
        if (eq <= 0 || eq == text.length() - 1) {
            throw new UsageException("--size expects NAME=VALUES, e.g. --size hidden=64 or --size hidden=32,64,128, got '" + text + "'");
        }
        return new String[] {text.substring(0, eq).strip(), text.substring(eq + 1).strip()};
    }

    static List<String> scheduleKinds() {
        return new ArrayList<>(SCHEDULE_KEYS.keySet());
    }
}
