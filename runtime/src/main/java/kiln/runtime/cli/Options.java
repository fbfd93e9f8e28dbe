package kiln.runtime.cli;

import java.nio.file.Path;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import kiln.dsl.TrainingNames;
import kiln.runtime.train.EarlyStopping;
import kiln.runtime.train.Monitor;
import kiln.runtime.tune.Dimension;
import kiln.runtime.tune.HyperparameterSearch;

/**
 * The training command line of every main, parsed and checked. Options take their value as
 * {@code --opt value} or {@code --opt=value}; each may be given once ({@code --size} once per
 * size). Anything wrong, an option that does not apply to the kind of run included, is a
 * {@link UsageException} whose message is one line naming the option and the problem.
 *
 * @param data directory (or file) to read the data or the text from, or null for the source's default
 * @param batch samples per mini-batch; a language model's parallel streams of the text
 * @param lrGiven whether {@code --lr} was given (a resumed run otherwise keeps the checkpoint's rate)
 * @param save checkpoint written after every epoch, or null
 * @param resume checkpoint to continue from, or null
 * @param help whether {@code --help} was given; then the other values are defaults
 * @param noBiasDecay whether biases without a declared weight decay are exempt from it (a parameter group of their own)
 * @param clipNorm gradient clipping by global norm, 0 for none (the model's default unless given)
 * @param clipValue gradient clipping by value, 0 for none
 * @param schedule the {@code --schedule} spec as given (checked), or null for a constant rate
 * @param earlyStopping early stopping, or null
 * @param monitor the validation figure for plateau, early stopping, best weights and search scores
 * @param saveEvery also checkpoint every this many steps (0: at epoch ends only)
 * @param log metrics log file, or null (then next to {@code save})
 * @param plot curves PNG, or null (then next to {@code save} or {@code log})
 * @param eval checkpoint to evaluate, or null
 * @param predict checkpoint to predict with, or null
 * @param input CSV of rows to predict (null: the test split)
 * @param output file for the predictions (null: standard output)
 * @param search grid or random search, or null for one training run
 * @param trials the number of random-search trials (0 for grid)
 * @param searched the values given for lr, batch and weight_decay in search mode (lists or ranges), by name
 * @param sizes {@code --size NAME=VALUES} settings, by name, as given
 * @param sample a language model's checkpoint to write text with instead of training, or null
 * @param generation how a language model writes text ({@code --prompt}, {@code --temperature}, {@code --length})
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
        Map<String, String> sizes,
        Path sample,
        int images,
        Generation generation) {

    /** A plain training run's options, everything added since defaulted. */
    public Options(Path data, int epochs, int batch, double lr, boolean lrGiven, String optimizer, double weightDecay, long seed,
            int threads, Path save, Path resume, boolean help) {
        this(data, epochs, batch, lr, lrGiven, optimizer, weightDecay, seed, threads, save, resume, help, false, 0, 0, null, null,
                Monitor.LOSS, 0, null, null, null, null, null, null, null, 0, Map.of(), Map.of(), null, 0, Generation.DEFAULT);
    }

    /** Names of the training hyperparameters a search can vary, as the results table shows them. */
    public static final String LR = "lr", BATCH = "batch", WEIGHT_DECAY = "weight_decay";

    /** The command line of a model trained on a data set. */
    public static Options parse(String[] args, TrainDefaults defaults, int defaultThreads) throws UsageException {
        return parse(args, defaults, defaultThreads, RunKind.DATA_SET);
    }

    /** The command line of a run of {@code kind}: an option that does not apply to it is an error. */
    public static Options parse(String[] args, TrainDefaults defaults, int defaultThreads, RunKind kind) throws UsageException {
        Map<Flag, String> given = new EnumMap<>(Flag.class);
        Map<String, String> sizes = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg.equals("-h")) arg = "--help";
            if (!arg.startsWith("--")) throw new UsageException("unexpected argument '" + arg + "'");
            int eq = arg.indexOf('=');
            String name = eq < 0 ? arg : arg.substring(0, eq);
            Flag flag = Flag.lookup(name);
            if (!flag.appliesTo(kind)) throw new UsageException(flag.refusal(kind));
            if (flag.metavar == null) { // a switch
                if (eq >= 0) throw new UsageException(name + " takes no value");
                if (given.put(flag, "") != null) throw new UsageException(name + " is given twice");
                continue;
            }
            String value;
            if (eq >= 0) {
                value = arg.substring(eq + 1);
            } else if (i + 1 < args.length && (flag == Flag.PROMPT || !args[i + 1].startsWith("--"))) {
                value = args[++i]; // a prompt may look like an option
            } else {
                value = "";
            }
            if (value.isEmpty() && flag != Flag.PROMPT) throw new UsageException(name + " needs a value (" + flag.metavar(kind) + ")");
            if (flag == Flag.SIZE) {
                String[] nv = SpecSyntax.size(value);
                if (sizes.put(nv[0], nv[1]) != null) throw new UsageException("--size " + nv[0] + " is given twice");
                continue;
            }
            if (given.put(flag, value) != null) throw new UsageException(name + " is given twice");
        }
        boolean help = given.containsKey(Flag.HELP);

        HyperparameterSearch.Strategy search = null;
        int trials = 0;
        if (given.containsKey(Flag.SEARCH)) {
            String s = given.get(Flag.SEARCH).strip().toLowerCase(Locale.ROOT);
            if (s.equals("grid")) {
                search = HyperparameterSearch.Strategy.GRID;
            } else if (s.startsWith("random:")) {
                search = HyperparameterSearch.Strategy.RANDOM;
                trials = whole("--search random", s.substring("random:".length()), 1);
            } else {
                throw new UsageException("--search must be grid or random:N (N trials), got '" + given.get(Flag.SEARCH) + "'");
            }
        }

        Map<String, Dimension> searched = new LinkedHashMap<>();
        int epochs = defaults.epochs(), batch = defaults.batch(), threads = defaultThreads;
        double lr = defaults.lr(), weightDecay = defaults.weightDecay();
        String optimizer = defaults.optimizer();
        long seed = defaults.seed();
        String prompt = Generation.DEFAULT.prompt();
        double temperature = Generation.DEFAULT_TEMPERATURE;
        int length = Generation.DEFAULT_LENGTH;
        for (Map.Entry<Flag, String> e : given.entrySet()) {
            String flag = e.getKey().flag, value = e.getValue();
            switch (e.getKey()) {
                case EPOCHS -> epochs = whole(flag, value, 1);
                case BATCH -> {
                    if (isList(value)) searched.put(BATCH, dimension(flag, BATCH, value, true, search));
                    else batch = whole(flag, value, 1);
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
                    if (!TrainingNames.isOptimizer(optimizer)) {
                        throw new UsageException(flag + " must be one of " + String.join(", ", TrainingNames.OPTIMIZERS) + ", got '" + value + "'");
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
                case THREADS -> threads = whole(flag, value, 1);
                case PROMPT -> prompt = value.replace("\\n", "\n");
                case TEMPERATURE -> temperature = nonNegative(flag, value);
                case LENGTH -> length = whole(flag, value, 0);
                default -> {
                    // read below
                }
            }
        }
        for (Dimension d : searched.values()) checkRange(d);
        Map<String, String> checkedSizes = new LinkedHashMap<>();
        for (Map.Entry<String, String> s : sizes.entrySet()) {
            String flag = "--size " + s.getKey();
            if (isList(s.getValue())) {
                Dimension d = dimension(flag, s.getKey(), s.getValue(), true, search);
                if (d instanceof Dimension.Choices c) for (double v : c.values()) if (v < 1) throw new UsageException(flag + " must be >= 1, got " + (long) v);
            } else {
                whole(flag, s.getValue(), 1);
            }
            checkedSizes.put(s.getKey(), s.getValue());
        }

        Monitor monitor = Monitor.LOSS;
        if (given.containsKey(Flag.MONITOR)) {
            try {
                monitor = Monitor.parse(given.get(Flag.MONITOR));
            } catch (IllegalArgumentException ex) {
                throw new UsageException("--monitor: " + ex.getMessage());
            }
        }
        double clipNorm = given.containsKey(Flag.CLIP_NORM) ? nonNegative(Flag.CLIP_NORM.flag, given.get(Flag.CLIP_NORM)) : defaults.clipNorm();
        double clipValue = given.containsKey(Flag.CLIP_VALUE) ? nonNegative(Flag.CLIP_VALUE.flag, given.get(Flag.CLIP_VALUE)) : 0;
        String schedule = given.getOrDefault(Flag.SCHEDULE, defaults.schedule());
        SpecSyntax.scheduleSpec(schedule, epochs);
        EarlyStopping earlyStopping = given.containsKey(Flag.EARLY_STOP) ? SpecSyntax.earlyStopping(given.get(Flag.EARLY_STOP)) : null;
        int saveEvery = given.containsKey(Flag.SAVE_EVERY) ? whole(Flag.SAVE_EVERY.flag, given.get(Flag.SAVE_EVERY), 1) : 0;
        Path save = path(Flag.SAVE, given), resume = path(Flag.RESUME, given);
        if (saveEvery > 0 && save == null) throw new UsageException("--save-every needs --save FILE");
        Path log = path(Flag.LOG, given), plot = path(Flag.PLOT, given), eval = path(Flag.EVAL, given), predict = path(Flag.PREDICT, given);
        Path input = path(Flag.INPUT, given), output = path(Flag.OUTPUT, given);
        // --sample: a language model's checkpoint to write text with; a data-set model's count of generated images
        Path sample = kind == RunKind.TEXT ? path(Flag.SAMPLE, given) : null;
        int images = kind == RunKind.DATA_SET && given.containsKey(Flag.SAMPLE) ? whole(Flag.SAMPLE.flag, given.get(Flag.SAMPLE), 1) : 0;

        if (!help) {
            int modes = (eval != null ? 1 : 0) + (predict != null ? 1 : 0) + (search != null ? 1 : 0) + (sample != null ? 1 : 0);
            if (modes > 1) throw new UsageException((kind == RunKind.TEXT ? "--eval, --predict, --sample" : "--eval, --predict")
                    + " and --search exclude each other");
            if ((input != null || output != null) && predict == null) {
                throw new UsageException((input != null ? "--input" : "--output") + " goes with --predict CHECKPOINT");
            }
            Flag mode = eval != null ? Flag.EVAL : predict != null ? Flag.PREDICT : sample != null ? Flag.SAMPLE : null;
            if (mode != null) {
                for (Flag f : given.keySet()) if (!f.goesWith(mode, kind)) throw new UsageException(f.flag + " does not go with " + mode.flag);
                if (!sizes.isEmpty()) throw new UsageException("--size does not go with " + mode.flag + ": the checkpoint records the sizes");
            }
            if (search != null && resume != null) throw new UsageException("--resume does not go with --search");
        }
        return new Options(path(Flag.DATA, given), epochs, batch, lr, given.containsKey(Flag.LR) && !searched.containsKey(LR), optimizer,
                weightDecay, seed, threads, save, resume, help, given.containsKey(Flag.NO_BIAS_DECAY), clipNorm, clipValue, schedule,
                earlyStopping, monitor, saveEvery, log, plot, eval, predict, input, output, search, trials, Map.copyOf(searched), checkedSizes,
                sample, images, new Generation(prompt, temperature, length));
    }

    /**
     * The {@code --help} text of a model trained on a data set.
     *
     * @param dataDefault where the data comes from without {@code --data}, e.g. "the bundled MNIST subset"
     */
    public static String usage(String program, String dataDefault, TrainDefaults defaults, int defaultThreads) {
        return Usage.of(program, dataDefault, defaults, defaultThreads, RunKind.DATA_SET);
    }

    /** The {@code --help} text of a run of {@code kind}: what the main does, every option that applies with its default, the syntax. */
    public static String usage(String program, String dataDefault, TrainDefaults defaults, int defaultThreads, RunKind kind) {
        return Usage.of(program, dataDefault, defaults, defaultThreads, kind);
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

    private static Path path(Flag flag, Map<Flag, String> given) {
        return given.containsKey(flag) ? Path.of(given.get(flag)) : null;
    }

    private static int whole(String flag, String value, int min) throws UsageException {
        int n;
        try {
            n = Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new UsageException(flag + " expects a whole number, got '" + value + "'");
        }
        if (n < min) throw new UsageException(flag + " must be >= " + min + ", got " + n);
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

    private static double nonNegative(String flag, String value) throws UsageException {
        double x = number(flag, value);
        if (!(x >= 0)) throw new UsageException(flag + " must be >= 0, got " + value);
        return x;
    }
}
