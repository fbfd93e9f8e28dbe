package kiln.runtime.cli;

import java.nio.file.Path;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import kiln.runtime.optim.Optimizers;
import kiln.runtime.train.EarlyStopping;
import kiln.runtime.train.Monitor;
import kiln.runtime.tune.Dimension;
import kiln.runtime.tune.HyperparameterSearch;

/**
 * The training command line, parsed and checked. Options take their value as {@code --opt value}
 * or {@code --opt=value}; each may be given once ({@code --size} once per size). Anything wrong is
 * a {@link UsageException} whose message is one line naming the option and the problem.
 *
 * @param data directory to read the data from, or null for the data source's default
 * @param lrGiven whether {@code --lr} was given (a resumed run otherwise keeps the checkpoint's rate)
 * @param save checkpoint written after every epoch, or null
 * @param resume checkpoint to continue from, or null
 * @param help whether {@code --help} was given; then the other values are defaults
 * @param noBiasDecay whether biases are exempt from weight decay (a second parameter group)
 * @param clipNorm gradient clipping by global norm, 0 for none
 * @param clipValue gradient clipping by value, 0 for none
 * @param schedule the {@code --schedule} spec as given (checked), or null for a constant rate
 * @param earlyStopping early stopping, or null
 * @param monitor the validation figure for plateau, early stopping, best weights and search scores
 * @param saveEvery also checkpoint every this many steps (0: at epoch ends only)
 * @param log metrics log file, or null (then next to {@code save})
 * @param plot curves PNG, or null (then next to {@code save} or {@code log})
 * @param eval checkpoint to evaluate on the test split, or null
 * @param predict checkpoint to predict with, or null
 * @param input CSV of rows to predict (null: the test split)
 * @param output file for the predictions (null: standard output)
 * @param search grid or random search, or null for one training run
 * @param trials the number of random-search trials (0 for grid)
 * @param searched the values given for lr, batch and weight_decay in search mode (lists or ranges), by name
 * @param sizes {@code --size NAME=VALUES} settings, by name, as given
 */
public record Options(
        Path data,
        int epochs,
        int batch,
        double lr,
        boolean lrGiven,
        String optimizer,
        double weightDecay,
        long seed,
        int threads,
        Path save,
        Path resume,
        boolean help,
        boolean noBiasDecay,
        double clipNorm,
        double clipValue,
        String schedule,
        EarlyStopping earlyStopping,
        Monitor monitor,
        int saveEvery,
        Path log,
        Path plot,
        Path eval,
        Path predict,
        Path input,
        Path output,
        HyperparameterSearch.Strategy search,
        int trials,
        Map<String, Dimension> searched,
        Map<String, String> sizes) {

    /** A plain training run's options, everything added since defaulted. */
    public Options(Path data, int epochs, int batch, double lr, boolean lrGiven, String optimizer, double weightDecay, long seed,
            int threads, Path save, Path resume, boolean help) {
        this(data, epochs, batch, lr, lrGiven, optimizer, weightDecay, seed, threads, save, resume, help, false, 0, 0, null, null,
                Monitor.LOSS, 0, null, null, null, null, null, null, null, 0, Map.of(), Map.of());
    }

    /** Names of the training hyperparameters a search can vary, as the results table shows them. */
    public static final String LR = "lr", BATCH = "batch", WEIGHT_DECAY = "weight_decay";

    /** Every option, in the order {@code --help} lists them. */
    private enum Spec {
        DATA("--data", "DIR", "read the data set from DIR (or FILE, for a table)"),
        EPOCHS("--epochs", "N", "train until N epochs are complete"),
        BATCH("--batch", "N", "samples per mini-batch"),
        LR("--lr", "X", "learning rate"),
        OPTIMIZER("--optimizer", "NAME", "sgd, momentum, nesterov, adam, adamw, rmsprop or adagrad"),
        WEIGHT_DECAY("--weight-decay", "X", "weight decay (L2; decoupled for adamw)"),
        NO_BIAS_DECAY("--no-bias-decay", null, "no weight decay on biases (they form a parameter group of their own)"),
        CLIP_NORM("--clip-norm", "X", "scale gradients so their global 2-norm is at most X (clip_grad_norm_)"),
        CLIP_VALUE("--clip-value", "X", "clamp every gradient element into [-X, X] (clip_grad_value_)"),
        SCHEDULE("--schedule", "SPEC", "learning-rate schedule; see SCHEDULES below"),
        EARLY_STOP("--early-stop", "N", "stop after N epochs without improvement, with the best weights; see below"),
        MONITOR("--monitor", "FIGURE", "validation figure watched by plateau, --early-stop and --search: loss or accuracy"),
        SEED("--seed", "N", "seed for the initial weights, the shuffles and the data split"),
        THREADS("--threads", "N", "worker threads"),
        SAVE("--save", "FILE", "write a checkpoint (safetensors) after every epoch"),
        SAVE_EVERY("--save-every", "N", "also write the checkpoint every N steps within an epoch"),
        RESUME("--resume", "FILE", "continue from a checkpoint exactly where it stood"),
        LOG("--log", "FILE", "metrics per epoch as CSV (JSON lines if FILE ends in .jsonl)"),
        PLOT("--plot", "FILE", "PNG of the training and validation curves"),
        EVAL("--eval", "CHECKPOINT", "print the test loss and accuracy of CHECKPOINT, and exit"),
        PREDICT("--predict", "CHECKPOINT", "write CHECKPOINT's predictions for --input, one line per row, and exit"),
        INPUT("--input", "FILE", "CSV of rows to predict"),
        OUTPUT("--output", "FILE", "where --predict writes"),
        SEARCH("--search", "grid|random:N", "hyperparameter search; see SEARCH below"),
        SIZE("--size", "NAME=VALUES", "a size of a model built at run time, e.g. hidden=64 (repeat per size)"),
        HELP("--help", null, "print this help and exit");

        final String flag;
        final String metavar;
        final String help;

        Spec(String flag, String metavar, String help) {
            this.flag = flag;
            this.metavar = metavar;
            this.help = help;
        }
    }

    public static Options parse(String[] args, TrainDefaults defaults, int defaultThreads) throws UsageException {
        Map<Spec, String> given = new EnumMap<>(Spec.class);
        Map<String, String> sizes = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg.equals("-h")) arg = "--help";
            if (!arg.startsWith("--")) throw new UsageException("unexpected argument '" + arg + "'");
            int eq = arg.indexOf('=');
            String flag = eq < 0 ? arg : arg.substring(0, eq);
            Spec spec = lookup(flag);
            if (spec.metavar == null) { // a switch
                if (eq >= 0) throw new UsageException(flag + " takes no value");
                if (given.put(spec, "") != null) throw new UsageException(flag + " is given twice");
                continue;
            }
            String value;
            if (eq >= 0) {
                value = arg.substring(eq + 1);
            } else if (i + 1 < args.length && !args[i + 1].startsWith("--")) {
                value = args[++i];
            } else {
                value = "";
            }
            if (value.isEmpty()) throw new UsageException(flag + " needs a value (" + spec.metavar + ")");
            if (spec == Spec.SIZE) {
                String[] nv = SpecSyntax.size(value);
                if (sizes.put(nv[0], nv[1]) != null) throw new UsageException("--size " + nv[0] + " is given twice");
                continue;
            }
            if (given.put(spec, value) != null) throw new UsageException(flag + " is given twice");
        }
        boolean help = given.containsKey(Spec.HELP);

        HyperparameterSearch.Strategy search = null;
        int trials = 0;
        if (given.containsKey(Spec.SEARCH)) {
            String s = given.get(Spec.SEARCH).strip().toLowerCase(Locale.ROOT);
            if (s.equals("grid")) {
                search = HyperparameterSearch.Strategy.GRID;
            } else if (s.startsWith("random:")) {
                search = HyperparameterSearch.Strategy.RANDOM;
                trials = positiveInt("--search random", s.substring("random:".length()));
            } else {
                throw new UsageException("--search must be grid or random:N (N trials), got '" + given.get(Spec.SEARCH) + "'");
            }
        }

        Map<String, Dimension> searched = new LinkedHashMap<>();
        int epochs = defaults.epochs(), batch = defaults.batch(), threads = defaultThreads;
        double lr = defaults.lr(), weightDecay = defaults.weightDecay();
        String optimizer = defaults.optimizer();
        long seed = defaults.seed();
        Path data = null, save = null, resume = null;
        for (Map.Entry<Spec, String> e : given.entrySet()) {
            String flag = e.getKey().flag, value = e.getValue();
            switch (e.getKey()) {
                case DATA -> data = Path.of(value);
                case EPOCHS -> epochs = positiveInt(flag, value);
                case BATCH -> {
                    if (isList(value)) {
                        searched.put(BATCH, dimension(flag, BATCH, value, true, search));
                    } else {
                        batch = positiveInt(flag, value);
                    }
                }
                case LR -> {
                    if (isList(value)) {
                        searched.put(LR, dimension(flag, LR, value, false, search));
                    } else {
                        lr = number(flag, value);
                        if (!(lr > 0)) throw new UsageException(flag + " must be > 0, got " + value);
                    }
                }
                case OPTIMIZER -> {
                    optimizer = value.toLowerCase(Locale.ROOT);
                    if (!Optimizers.NAMES.contains(optimizer)) {
                        throw new UsageException(flag + " must be one of " + String.join(", ", Optimizers.NAMES) + ", got '" + value + "'");
                    }
                }
                case WEIGHT_DECAY -> {
                    if (isList(value)) {
                        searched.put(WEIGHT_DECAY, dimension(flag, WEIGHT_DECAY, value, false, search));
                    } else {
                        weightDecay = number(flag, value);
                        if (!(weightDecay >= 0)) throw new UsageException(flag + " must be >= 0, got " + value);
                    }
                }
                case SEED -> {
                    try {
                        seed = Long.parseLong(value);
                    } catch (NumberFormatException ex) {
                        throw new UsageException(flag + " expects a whole number, got '" + value + "'");
                    }
                }
                case THREADS -> threads = positiveInt(flag, value);
                case SAVE -> save = Path.of(value);
                case RESUME -> resume = Path.of(value);
                default -> {
                    // read below
                }
            }
        }
        for (Map.Entry<String, Dimension> d : searched.entrySet()) {
            checkRange(d.getValue());
        }
        Map<String, String> checkedSizes = new LinkedHashMap<>();
        for (Map.Entry<String, String> s : sizes.entrySet()) {
            String flag = "--size " + s.getKey();
            if (isList(s.getValue())) {
                Dimension d = dimension(flag, s.getKey(), s.getValue(), true, search);
                if (d instanceof Dimension.Choices c) for (double v : c.values()) if (v < 1) throw new UsageException(flag + " must be >= 1, got " + (long) v);
            } else {
                positiveInt(flag, s.getValue());
            }
            checkedSizes.put(s.getKey(), s.getValue());
        }

        Monitor monitor = Monitor.LOSS;
        if (given.containsKey(Spec.MONITOR)) {
            try {
                monitor = Monitor.parse(given.get(Spec.MONITOR));
            } catch (IllegalArgumentException ex) {
                throw new UsageException("--monitor: " + ex.getMessage());
            }
        }
        double clipNorm = nonNegative(Spec.CLIP_NORM, given), clipValue = nonNegative(Spec.CLIP_VALUE, given);
        String schedule = given.getOrDefault(Spec.SCHEDULE, defaults.schedule());
        SpecSyntax.scheduleSpec(schedule, epochs);
        EarlyStopping earlyStopping = given.containsKey(Spec.EARLY_STOP) ? SpecSyntax.earlyStopping(given.get(Spec.EARLY_STOP)) : null;
        int saveEvery = given.containsKey(Spec.SAVE_EVERY) ? positiveInt(Spec.SAVE_EVERY.flag, given.get(Spec.SAVE_EVERY)) : 0;
        if (saveEvery > 0 && save == null) throw new UsageException("--save-every needs --save FILE");
        Path log = path(Spec.LOG, given), plot = path(Spec.PLOT, given), eval = path(Spec.EVAL, given), predict = path(Spec.PREDICT, given);
        Path input = path(Spec.INPUT, given), output = path(Spec.OUTPUT, given);

        if (!help) {
            int modes = (eval != null ? 1 : 0) + (predict != null ? 1 : 0) + (search != null ? 1 : 0);
            if (modes > 1) throw new UsageException("--eval, --predict and --search exclude each other");
            if ((input != null || output != null) && predict == null) {
                throw new UsageException((input != null ? "--input" : "--output") + " goes with --predict CHECKPOINT");
            }
            if ((eval != null || predict != null) && resume != null) throw new UsageException("--resume does not go with --eval or --predict");
            if (search != null && resume != null) throw new UsageException("--resume does not go with --search");
        }
        return new Options(data, epochs, batch, lr, given.containsKey(Spec.LR) && !searched.containsKey(LR), optimizer, weightDecay, seed,
                threads, save, resume, help, given.containsKey(Spec.NO_BIAS_DECAY), clipNorm, clipValue, schedule, earlyStopping, monitor,
                saveEvery, log, plot, eval, predict, input, output, search, trials, Map.copyOf(searched), checkedSizes);
    }

    /** A value with a comma or a colon is a list or a range, which only a search takes. */
    private static boolean isList(String value) {
        return value.contains(",") || value.contains(":");
    }

    private static Dimension dimension(String flag, String name, String value, boolean integer, HyperparameterSearch.Strategy search)
            throws UsageException {
        if (search == null) {
            throw new UsageException(flag + " takes one value; lists and ranges (" + value + ") need --search grid or --search random:N");
        }
        try {
            Dimension d = HyperparameterSearch.dimension(name, value, integer);
            if (search == HyperparameterSearch.Strategy.GRID) d.gridValues(); // a range without a point count fails here
            return d;
        } catch (IllegalArgumentException e) {
            throw new UsageException(flag + ": " + e.getMessage());
        }
    }

    private static void checkRange(Dimension d) throws UsageException {
        String flag = switch (d.name()) {
            case LR -> "--lr";
            case BATCH -> "--batch";
            default -> "--weight-decay";
        };
        double[] probe = d instanceof Dimension.Choices c ? c.values()
                : new double[] {((Dimension.Range) d).low(), ((Dimension.Range) d).high()};
        for (double v : probe) {
            boolean ok = switch (d.name()) {
                case LR -> v > 0;
                case BATCH -> v >= 1;
                default -> v >= 0;
            };
            if (!ok) throw new UsageException(flag + " values must be " + (d.name().equals(LR) ? "> 0" : d.name().equals(BATCH) ? ">= 1" : ">= 0")
                    + ", got " + d.format(v));
        }
    }

    private static double nonNegative(Spec spec, Map<Spec, String> given) throws UsageException {
        if (!given.containsKey(spec)) return 0;
        double x = number(spec.flag, given.get(spec));
        if (!(x > 0)) throw new UsageException(spec.flag + " must be > 0, got " + given.get(spec));
        return x;
    }

    private static Path path(Spec spec, Map<Spec, String> given) {
        return given.containsKey(spec) ? Path.of(given.get(spec)) : null;
    }

    /**
     * The {@code --help} text: every option with its default, then the schedule and search syntax.
     *
     * @param dataDefault where the data comes from without {@code --data}, e.g. "the bundled MNIST subset"
     */
    public static String usage(String program, String dataDefault, TrainDefaults defaults, int defaultThreads) {
        StringBuilder b = new StringBuilder();
        b.append("usage: ").append(program).append(" [options]\n\n");
        b.append("Trains ").append(program).append(", reporting validation figures after every epoch and test figures at the end.\n\n");
        for (Spec spec : Spec.values()) {
            String left = spec.metavar == null ? spec.flag : spec.flag + " " + spec.metavar;
            String def = switch (spec) {
                case DATA -> dataDefault;
                case EPOCHS -> Integer.toString(defaults.epochs());
                case BATCH -> Integer.toString(defaults.batch());
                case LR -> defaults.lr() + "; a resumed run keeps the checkpoint's";
                case OPTIMIZER -> defaults.optimizer();
                case WEIGHT_DECAY -> Double.toString(defaults.weightDecay());
                case SEED -> defaults.seed() + "; a resumed run keeps the checkpoint's";
                case THREADS -> defaultThreads + ", the available processors";
                case SAVE, RESUME, EVAL, PREDICT, CLIP_NORM, CLIP_VALUE, EARLY_STOP, SAVE_EVERY, SEARCH -> "none";
                case SCHEDULE -> defaults.schedule() == null ? "none" : defaults.schedule();
                case MONITOR -> "loss";
                case LOG -> "next to --save: FILE.metrics.csv";
                case PLOT -> "next to --save: FILE.curves.png, or to --log";
                case INPUT -> "the test split";
                case OUTPUT -> "standard output";
                case SIZE -> "the model's first choice";
                case NO_BIAS_DECAY, HELP -> null;
            };
            String line = String.format(Locale.ROOT, "  %-24s %s", left, spec.help);
            String tail = def == null ? "" : " (default: " + def + ")";
            // Keep lines short: a default that does not fit goes on a line of its own, under the text.
            b.append(line.length() + tail.length() <= 110 ? line + tail : line + "\n" + " ".repeat(27) + tail.strip()).append('\n');
        }
        b.append("\nOptions take their value as --opt VALUE or --opt=VALUE.\n\n");
        b.append(SpecSyntax.SCHEDULE_HELP);
        b.append("""

                EARLY STOPPING (--early-stop N[:min-delta=X])
                  stops once the validation --monitor figure has not improved by more than X (default 0) for N epochs
                  in a row, then restores the weights of the best epoch (they are also kept in the checkpoint, and
                  --eval and --predict use them)

                SEARCH (--search grid | --search random:N)
                  Trials train on the training split, each with seed SEED+trial, and are scored on the validation
                  --monitor figure; the results table is sorted best first, and the best trial is trained again
                  (with --save, --log, ...) and tested once on the test split. Give the values to try as
                    --lr 0.01,0.05,0.1        a list (also --batch, --weight-decay, --size NAME=...)
                    --lr log:1e-4:1e-1        a log-uniform range for random search (lin:A:B for a uniform one)
                    --lr log:1e-4:1e-1:4      4 points of that range for grid search
                  Models built at run time also search their declared sizes; annotated models have fixed sizes.

                PREDICT (--predict CHECKPOINT [--input FILE] [--output FILE])
                  one line per row: class index and its probability for a classifier (for each output of a binary
                  model), the values for regression. --input is a CSV of feature rows (a first line of column names
                  is allowed); without it, the data set's test split.

                FILES
                  A checkpoint (safetensors) holds the weights under the model's parameter names, the optimizer
                  state, the schedule and early-stopping state and the history; --resume with the same options
                  continues exactly, also from a checkpoint taken within an epoch (--save-every). Writes are atomic.
                """);
        return b.toString();
    }

    private static Spec lookup(String flag) throws UsageException {
        for (Spec s : Spec.values()) if (s.flag.equals(flag)) return s;
        String guess = null;
        int best = 3; // suggest only near misses
        for (Spec s : Spec.values()) {
            int d = editDistance(flag, s.flag);
            if (d < best) {
                best = d;
                guess = s.flag;
            }
        }
        throw new UsageException("unknown option " + flag + (guess == null ? "" : " (did you mean " + guess + "?)"));
    }

    private static int positiveInt(String flag, String value) throws UsageException {
        int n;
        try {
            n = Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new UsageException(flag + " expects a whole number, got '" + value + "'");
        }
        if (n < 1) throw new UsageException(flag + " must be >= 1, got " + n);
        return n;
    }

    private static double number(String flag, String value) throws UsageException {
        double x;
        try {
            x = Double.parseDouble(value);
        } catch (NumberFormatException e) {
            throw new UsageException(flag + " expects a number, got '" + value + "'");
        }
        if (!Double.isFinite(x)) throw new UsageException(flag + " expects a finite number, got '" + value + "'");
        return x;
    }

    /** Levenshtein distance, for "did you mean". */
    private static int editDistance(String a, String b) {
        int[] prev = new int[b.length() + 1], cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) prev[j] = j;
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int sub = prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                cur[j] = Math.min(sub, Math.min(prev[j], cur[j - 1]) + 1);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
