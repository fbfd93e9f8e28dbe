package kiln.runtime.cli;

import java.util.EnumSet;
import java.util.Set;
import kiln.dsl.TrainingNames;

/** Every option of the training command line, in the order {@code --help} lists them, and the kinds of run it applies to. */
enum Flag {
    DATA("--data", "DIR", "read the data set from DIR (or FILE, for a table)"),
    EPOCHS("--epochs", "N", "train until N epochs are complete"),
    BATCH("--batch", "N", "samples per mini-batch"),
    LR("--lr", "X", "learning rate"),
    OPTIMIZER("--optimizer", "NAME", String.join(", ", TrainingNames.OPTIMIZERS.subList(0, TrainingNames.OPTIMIZERS.size() - 1)) + " or "
            + TrainingNames.OPTIMIZERS.get(TrainingNames.OPTIMIZERS.size() - 1)),
    WEIGHT_DECAY("--weight-decay", "X", "weight decay (L2; decoupled for adamw) where a parameter declares none"),
    NO_BIAS_DECAY("--no-bias-decay", null, "no weight decay on biases that declare none (they form a parameter group of their own)"),
    CLIP_NORM("--clip-norm", "X", "scale gradients so their global 2-norm is at most X (clip_grad_norm_); 0: no clipping"),
    CLIP_VALUE("--clip-value", "X", "clamp every gradient element into [-X, X] (clip_grad_value_); 0: no clipping"),
    SCHEDULE("--schedule", "SPEC", "learning-rate schedule; see SCHEDULES below"),
    EARLY_STOP("--early-stop", "N", "stop after N epochs without improvement, with the best weights; see below"),
    MONITOR("--monitor", "FIGURE", "validation figure for plateau, --early-stop and --search: loss, accuracy or another the run reports"),
    SEED("--seed", "N", "seed for the initial weights, the shuffles (or where a text's chunks start) and the data split"),
    THREADS("--threads", "N", "worker threads"),
    SAVE("--save", "FILE", "write a checkpoint (safetensors) after every epoch"),
    SAVE_EVERY("--save-every", "N", "also write the checkpoint every N steps within an epoch"),
    RESUME("--resume", "FILE", "continue from a checkpoint exactly where it stood"),
    LOG("--log", "FILE", "metrics per epoch as CSV (JSON lines if FILE ends in .jsonl)"),
    PLOT("--plot", "FILE", "PNG of the training and validation curves"),
    EVAL("--eval", "CHECKPOINT", "print CHECKPOINT's figures on the test split, and exit"),
    PREDICT("--predict", "CHECKPOINT", "write CHECKPOINT's predictions for --input, one line per row, and exit"),
    INPUT("--input", "FILE", "CSV of rows to predict"),
    OUTPUT("--output", "FILE", "where --predict writes"),
    SEARCH("--search", "grid|random:N", "hyperparameter search; see SEARCH below"),
    SIZE("--size", "NAME=VALUES", "a size of a model built at run time, e.g. hidden=64 (repeat per size)"),
    SAMPLE("--sample", "CHECKPOINT", "write text with CHECKPOINT instead of training"),
    PROMPT("--prompt", "TEXT", "the text the written text continues; \\n is a new line"),
    TEMPERATURE("--temperature", "X", "below 1 likelier characters, above 1 more varied, 0 always the likeliest"),
    LENGTH("--length", "N", "characters to write after training, or with --sample or --predict; 0: none"),
    HELP("--help", null, "print this help and exit");

    final String flag;
    final String metavar;
    final String help;

    Flag(String flag, String metavar, String help) {
        this.flag = flag;
        this.metavar = metavar;
        this.help = help;
    }

    private static final Set<Flag> TEXT_ONLY = EnumSet.of(SAMPLE, PROMPT, TEMPERATURE, LENGTH);

    /** The value's name in {@code --help} and messages, for a run of {@code kind}. */
    String metavar(RunKind kind) {
        if (this == SAMPLE && kind == RunKind.DATA_SET) return "N";
        return this == DATA && kind == RunKind.TEXT ? "PATH" : metavar;
    }

    /** What the option does, for a run of {@code kind}: a language model reads, batches, scores and predicts a text. */
    String help(RunKind kind) {
        if (this == SAMPLE && kind == RunKind.DATA_SET) {
            return "write N generated images as a PNG grid after training, or with --eval (models that generate, e.g. Vae)";
        }
        if (kind != RunKind.TEXT) return help;
        return switch (this) {
            case DATA -> "a text file, or a folder of them";
            case BATCH -> "parallel streams of the text: the rows of every batch";
            case EVAL -> "print CHECKPOINT's loss in nats per character on the held-out text, and exit";
            case PREDICT -> "write text continuing --prompt with CHECKPOINT (--length characters), and exit";
            case OUTPUT -> "where --predict writes the text";
            default -> help;
        };
    }

    /** Whether this option applies to a run of {@code kind}. */
    boolean appliesTo(RunKind kind) {
        return switch (this) {
            case SAMPLE -> kind != RunKind.CUSTOM;
            case PROMPT, TEMPERATURE, LENGTH -> kind == RunKind.TEXT;
            case INPUT -> kind == RunKind.DATA_SET;
            case PREDICT, OUTPUT -> kind != RunKind.CUSTOM;
            default -> true;
        };
    }

    /**
     * Whether this option means something in {@code mode} ({@link #EVAL}, {@link #PREDICT} or
     * {@link #SAMPLE}), which trains nothing and takes the sizes and the data split from the
     * checkpoint; a language model's {@code --predict} and {@code --sample} read no text.
     */
    boolean goesWith(Flag mode, RunKind kind) {
        if (this == mode || this == HELP || this == THREADS) return true;
        boolean writesText = mode == SAMPLE || mode == PREDICT && kind == RunKind.TEXT;
        if (this == SAMPLE && kind == RunKind.DATA_SET) return mode == EVAL; // generated images, from the checkpoint scored
        return switch (this) {
            case DATA, BATCH -> !writesText;
            case INPUT, OUTPUT -> mode == PREDICT;
            case PROMPT, TEMPERATURE, LENGTH, SEED -> writesText;
            default -> false;
        };
    }

    /** Why this option does not apply to {@code kind}, for the one-line error. */
    String refusal(RunKind kind) {
        if (this == SAMPLE) return "--sample applies to a generated model: text from a language model, images from one that generates";
        if (TEXT_ONLY.contains(this)) return flag + " applies to character language models only";
        if (this == INPUT) return "--input applies to models trained on a data set; a language model's --predict continues --prompt";
        return flag + " applies to a generated model; score a run with its own training step with --eval";
    }

    /** The option called {@code flag}, or a one-line error with a near miss when there is one. */
    static Flag lookup(String flag) throws UsageException {
        for (Flag f : values()) if (f.flag.equals(flag)) return f;
        String guess = null;
        int best = 3; // suggest only near misses
        for (Flag f : values()) {
            int d = editDistance(flag, f.flag);
            if (d < best) {
                best = d;
                guess = f.flag;
            }
        }
        throw new UsageException("unknown option " + flag + (guess == null ? "" : " (did you mean " + guess + "?)"));
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
