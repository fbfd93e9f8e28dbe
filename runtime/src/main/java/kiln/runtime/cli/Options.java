package kiln.runtime.cli;

import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;
import kiln.runtime.optim.Optimizers;

/**
 * The training command line, parsed and checked. Options take their value as {@code --opt value}
 * or {@code --opt=value}; each may be given once. Anything wrong is a {@link UsageException} whose
 * message is one line naming the option and the problem.
 *
 * @param data directory to read the data from, or null for the data source's default
 * @param lrGiven whether {@code --lr} was given (a resumed run otherwise keeps the checkpoint's rate)
 * @param save checkpoint written after every epoch, or null
 * @param resume checkpoint to continue from, or null
 * @param help whether {@code --help} was given; then the other values are defaults
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
        boolean help) {

    /** Every option, in the order {@code --help} lists them. */
    private enum Spec {
        DATA("--data", "DIR", "read the data set from DIR"),
        EPOCHS("--epochs", "N", "train until N epochs are complete"),
        BATCH("--batch", "N", "samples per mini-batch"),
        LR("--lr", "X", "learning rate"),
        OPTIMIZER("--optimizer", "NAME", "sgd, momentum, nesterov or adam"),
        WEIGHT_DECAY("--weight-decay", "X", "L2 weight decay"),
        SEED("--seed", "N", "seed for the initial weights and the shuffles"),
        THREADS("--threads", "N", "worker threads"),
        SAVE("--save", "FILE", "write a checkpoint (safetensors) after every epoch"),
        RESUME("--resume", "FILE", "continue from a checkpoint, with the epoch after the one it holds"),
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
        Path data = null, save = null, resume = null;
        int epochs = defaults.epochs(), batch = defaults.batch(), threads = defaultThreads;
        double lr = defaults.lr(), weightDecay = defaults.weightDecay();
        String optimizer = defaults.optimizer();
        long seed = defaults.seed();
        boolean help = false;
        Set<Spec> seen = EnumSet.noneOf(Spec.class);

        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg.equals("-h")) arg = "--help";
            if (!arg.startsWith("--")) throw new UsageException("unexpected argument '" + arg + "'");
            int eq = arg.indexOf('=');
            String flag = eq < 0 ? arg : arg.substring(0, eq);
            Spec spec = lookup(flag);
            if (!seen.add(spec)) throw new UsageException(flag + " is given twice");
            if (spec == Spec.HELP) {
                if (eq >= 0) throw new UsageException("--help takes no value");
                help = true;
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
            switch (spec) {
                case DATA -> data = Path.of(value);
                case EPOCHS -> epochs = positiveInt(flag, value);
                case BATCH -> batch = positiveInt(flag, value);
                case LR -> {
                    lr = number(flag, value);
                    if (!(lr > 0)) throw new UsageException(flag + " must be > 0, got " + value);
                }
                case OPTIMIZER -> {
                    optimizer = value.toLowerCase(Locale.ROOT);
                    if (!Optimizers.NAMES.contains(optimizer)) {
                        throw new UsageException(flag + " must be one of " + String.join(", ", Optimizers.NAMES) + ", got '" + value + "'");
                    }
                }
                case WEIGHT_DECAY -> {
                    weightDecay = number(flag, value);
                    if (!(weightDecay >= 0)) throw new UsageException(flag + " must be >= 0, got " + value);
                }
                case SEED -> {
                    try {
                        seed = Long.parseLong(value);
                    } catch (NumberFormatException e) {
                        throw new UsageException(flag + " expects a whole number, got '" + value + "'");
                    }
                }
                case THREADS -> threads = positiveInt(flag, value);
                case SAVE -> save = Path.of(value);
                case RESUME -> resume = Path.of(value);
                case HELP -> throw new AssertionError();
            }
        }
        return new Options(data, epochs, batch, lr, seen.contains(Spec.LR), optimizer, weightDecay, seed, threads, save, resume, help);
    }

    /**
     * The {@code --help} text: every option with its default.
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
                case SAVE, RESUME -> "none";
                case HELP -> null;
            };
            b.append(String.format(Locale.ROOT, "  %-22s %s%s%n", left, spec.help, def == null ? "" : " (default: " + def + ")"));
        }
        b.append("\nOptions take their value as --opt VALUE or --opt=VALUE.\n");
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
