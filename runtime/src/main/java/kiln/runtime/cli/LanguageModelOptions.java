package kiln.runtime.cli;

import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;
import kiln.runtime.optim.Optimizers;

/**
 * The command line of a language model's main ({@link LanguageModelMain}), parsed and checked:
 * the training options that apply to truncated backpropagation through time, and the sampling
 * options. As for every generated main, options take their value as {@code --opt value} or
 * {@code --opt=value}, each at most once, and anything wrong is a one-line {@link UsageException}.
 *
 * @param data a text file or a folder of texts, or null for the source's default
 * @param batch the number of parallel streams the text is read in
 * @param lrGiven whether {@code --lr} was given (a resumed run otherwise keeps the checkpoint's rate)
 * @param clipNorm the largest global gradient norm, 0 for no clipping
 * @param save the checkpoint of the best validation loss, or null
 * @param resume a checkpoint to continue from, or null
 * @param sample a checkpoint to write text with instead of training, or null
 * @param prompt the text the generated text continues ({@code \n} in it is a new line)
 * @param length characters to write, after training or with {@code sample}
 */
public record LanguageModelOptions(
        Path data,
        int epochs,
        int batch,
        double lr,
        boolean lrGiven,
        String optimizer,
        double weightDecay,
        double clipNorm,
        long seed,
        int threads,
        Path save,
        Path resume,
        Path sample,
        String prompt,
        double temperature,
        int length,
        boolean help) {

    static final double DEFAULT_CLIP_NORM = 5;
    static final double DEFAULT_TEMPERATURE = 0.8;
    static final int DEFAULT_LENGTH = 500;

    /** Every option, in the order {@code --help} lists them. */
    private enum Spec {
        DATA("--data", "PATH", "a text file, or a folder of them"),
        EPOCHS("--epochs", "N", "train until N epochs are complete"),
        BATCH("--batch", "N", "parallel streams of the text, the rows of every batch"),
        LR("--lr", "X", "learning rate"),
        OPTIMIZER("--optimizer", "NAME", String.join(", ", Optimizers.NAMES)),
        WEIGHT_DECAY("--weight-decay", "X", "weight decay"),
        CLIP_NORM("--clip-norm", "X", "scale the gradients so that their global 2-norm is at most X; 0: no clipping"),
        SEED("--seed", "N", "seed for the initial weights, dropout and where each epoch's chunks start"),
        THREADS("--threads", "N", "worker threads"),
        SAVE("--save", "FILE", "keep the checkpoint (safetensors, with the vocabulary) of the best validation loss"),
        RESUME("--resume", "FILE", "continue from a checkpoint, with the epoch after the one it holds"),
        SAMPLE("--sample", "FILE", "write text with the checkpoint FILE instead of training"),
        PROMPT("--prompt", "TEXT", "the text the written text continues; \\n is a new line"),
        TEMPERATURE("--temperature", "X", "below 1 likelier characters, above 1 more varied, 0 always the likeliest"),
        LENGTH("--length", "N", "characters to write, after training or with --sample"),
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

    public static LanguageModelOptions parse(String[] args, TrainDefaults defaults, int defaultThreads) throws UsageException {
        Path data = null, save = null, resume = null, sample = null;
        int epochs = defaults.epochs(), batch = defaults.batch(), threads = defaultThreads, length = DEFAULT_LENGTH;
        double lr = defaults.lr(), weightDecay = defaults.weightDecay(), clipNorm = DEFAULT_CLIP_NORM;
        double temperature = DEFAULT_TEMPERATURE;
        String optimizer = defaults.optimizer(), prompt = "";
        long seed = defaults.seed();
        Set<Spec> seen = EnumSet.noneOf(Spec.class);
        for (int i = 0; i < args.length; i++) {
            String arg = args[i].equals("-h") ? "--help" : args[i];
            if (!arg.startsWith("--")) throw new UsageException("unexpected argument '" + arg + "'");
            int eq = arg.indexOf('=');
            String flag = eq < 0 ? arg : arg.substring(0, eq);
            Spec spec = lookup(flag);
            if (!seen.add(spec)) throw new UsageException(flag + " is given twice");
            if (spec == Spec.HELP) {
                if (eq >= 0) throw new UsageException("--help takes no value");
                continue;
            }
            String value;
            if (eq >= 0) {
                value = arg.substring(eq + 1);
            } else if (i + 1 < args.length && (spec == Spec.PROMPT || !args[i + 1].startsWith("--"))) {
                value = args[++i];
            } else {
                value = "";
            }
            if (value.isEmpty() && spec != Spec.PROMPT) throw new UsageException(flag + " needs a value (" + spec.metavar + ")");
            switch (spec) {
                case DATA -> data = Path.of(value);
                case EPOCHS -> epochs = whole(flag, value, 1);
                case BATCH -> batch = whole(flag, value, 1);
                case LR -> lr = number(flag, value, false);
                case OPTIMIZER -> {
                    optimizer = value.toLowerCase(Locale.ROOT);
                    if (!Optimizers.NAMES.contains(optimizer)) {
                        throw new UsageException(flag + " must be one of " + String.join(", ", Optimizers.NAMES) + ", got '"
                                + value + "'");
                    }
                }
                case WEIGHT_DECAY -> weightDecay = number(flag, value, true);
                case CLIP_NORM -> clipNorm = number(flag, value, true);
                case SEED -> {
                    try {
                        seed = Long.parseLong(value);
                    } catch (NumberFormatException e) {
                        throw new UsageException(flag + " expects a whole number, got '" + value + "'");
                    }
                }
                case THREADS -> threads = whole(flag, value, 1);
                case SAVE -> save = Path.of(value);
                case RESUME -> resume = Path.of(value);
                case SAMPLE -> sample = Path.of(value);
                case PROMPT -> prompt = value.replace("\\n", "\n");
                case TEMPERATURE -> temperature = number(flag, value, true);
                case LENGTH -> length = whole(flag, value, 0);
                case HELP -> throw new AssertionError();
            }
        }
        return new LanguageModelOptions(data, epochs, batch, lr, seen.contains(Spec.LR), optimizer, weightDecay, clipNorm,
                seed, threads, save, resume, sample, prompt, temperature, length, seen.contains(Spec.HELP));
    }

    /** The {@code --help} text: what the main does, then every option with its default. */
    public static String usage(String program, String textDefault, TrainDefaults defaults, int defaultThreads) {
        StringBuilder b = new StringBuilder();
        b.append("usage: ").append(program).append(" [options]\n\n");
        b.append("Trains the character language model ").append(program).append(" on a text by truncated backpropagation through\n"
                + "time: the text is read as --batch parallel streams, in chunks, the hidden state carried from chunk to\n"
                + "chunk. The last ").append(Math.round(LanguageModelMain.VALIDATION_FRACTION * 100))
                .append("% of the text is held out; its loss is reported in nats per character after every epoch.\n"
                        + "Then writes text. With --sample, only writes text with a trained checkpoint.\n\n");
        for (Spec spec : Spec.values()) {
            String left = spec.metavar == null ? spec.flag : spec.flag + " " + spec.metavar;
            String def = switch (spec) {
                case DATA -> textDefault;
                case EPOCHS -> Integer.toString(defaults.epochs());
                case BATCH -> Integer.toString(defaults.batch());
                case LR -> defaults.lr() + "; a resumed run keeps the checkpoint's";
                case OPTIMIZER -> defaults.optimizer();
                case WEIGHT_DECAY -> Double.toString(defaults.weightDecay());
                case CLIP_NORM -> Double.toString(DEFAULT_CLIP_NORM);
                case SEED -> Long.toString(defaults.seed());
                case THREADS -> defaultThreads + ", the available processors";
                case SAVE, RESUME, SAMPLE -> "none";
                case PROMPT -> "a new line";
                case TEMPERATURE -> Double.toString(DEFAULT_TEMPERATURE);
                case LENGTH -> Integer.toString(DEFAULT_LENGTH);
                case HELP -> null;
            };
            b.append(String.format(Locale.ROOT, "  %-20s %s%s%n", left, spec.help, def == null ? "" : " (default: " + def + ")"));
        }
        b.append("\nOptions take their value as --opt VALUE or --opt=VALUE. Example:\n  ").append(program)
                .append(" --sample best.safetensors --prompt \"ROMEO:\" --temperature 0.8 --length 500\n");
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

    /** A finite number, > 0 or (with {@code zeroAllowed}) >= 0. */
    private static double number(String flag, String value, boolean zeroAllowed) throws UsageException {
        double x;
        try {
            x = Double.parseDouble(value);
        } catch (NumberFormatException e) {
            throw new UsageException(flag + " expects a number, got '" + value + "'");
        }
        if (!Double.isFinite(x)) throw new UsageException(flag + " expects a finite number, got '" + value + "'");
        if (zeroAllowed ? x < 0 : x <= 0) throw new UsageException(flag + " must be " + (zeroAllowed ? ">= 0" : "> 0") + ", got " + value);
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
