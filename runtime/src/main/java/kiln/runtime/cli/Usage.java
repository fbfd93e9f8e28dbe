package kiln.runtime.cli;

import java.util.Locale;

/** The {@code --help} text of a main: what it does, every option that applies to its kind of run with its default, and the syntax. */
final class Usage {
    private Usage() {}

    /** @param dataDefault where the data comes from without {@code --data}, e.g. "the bundled MNIST subset" */
    static String of(String program, String dataDefault, TrainDefaults defaults, int defaultThreads, RunKind kind) {
        StringBuilder b = new StringBuilder();
        b.append("usage: ").append(program).append(" [options]\n\n");
        b.append(switch (kind) {
            case DATA_SET -> "Trains " + program + ", reporting validation figures after every epoch and test figures at the end.\n\n";
            case TEXT -> "Trains the character language model " + program + " on a text by truncated backpropagation through time:\n"
                    + "the text is read as --batch parallel streams, in chunks, the hidden state carried from chunk to chunk. The\n"
                    + "last " + Math.round(TextWorkload.VALIDATION_FRACTION * 100) + "% of the text is held out; its loss is reported in"
                    + " nats per character after every epoch.\nThen writes text. With --sample, only writes text with a trained checkpoint.\n\n";
            case CUSTOM -> "Trains " + program + "'s models with its own training step, reporting its figures after every epoch and its\n"
                    + "validation figures, then test figures at the end.\n\n";
        });
        for (Flag flag : Flag.values()) {
            if (!flag.appliesTo(kind)) continue;
            String left = flag.metavar == null ? flag.flag : flag.flag + " " + flag.metavar(kind);
            String def = switch (flag) {
                case DATA -> dataDefault;
                case EPOCHS -> Integer.toString(defaults.epochs());
                case BATCH -> Integer.toString(defaults.batch());
                case LR -> defaults.lr() + "; a resumed run keeps the checkpoint's";
                case OPTIMIZER -> defaults.optimizer();
                case WEIGHT_DECAY -> Double.toString(defaults.weightDecay());
                case SEED -> defaults.seed() + "; a resumed run keeps the checkpoint's";
                case THREADS -> defaultThreads + ", the available processors";
                case CLIP_NORM -> defaults.clipNorm() > 0 ? Double.toString(defaults.clipNorm()) : "none";
                case SAVE, RESUME, EVAL, PREDICT, SAMPLE, CLIP_VALUE, EARLY_STOP, SAVE_EVERY, SEARCH -> "none";
                case SCHEDULE -> defaults.schedule() == null ? "none" : defaults.schedule();
                case MONITOR -> "loss";
                case LOG -> "next to --save: FILE.metrics.csv";
                case PLOT -> "next to --save: FILE.curves.png, or to --log";
                case INPUT -> "the test split";
                case OUTPUT -> "standard output";
                case SIZE -> "the model's first choice";
                case PROMPT -> "a new line";
                case TEMPERATURE -> Double.toString(Generation.DEFAULT_TEMPERATURE);
                case LENGTH -> Integer.toString(Generation.DEFAULT_LENGTH);
                case NO_BIAS_DECAY, HELP -> null;
            };
            String line = String.format(Locale.ROOT, "  %-24s %s", left, flag.help(kind));
            String tail = def == null ? "" : " (default: " + def + ")";
            // Keep lines short: a default that does not fit goes on a line of its own, under the text.
            b.append(line.length() + tail.length() <= 110 ? line + tail : line + "\n" + " ".repeat(27) + tail.strip()).append('\n');
        }
        b.append("\nOptions take their value as --opt VALUE or --opt=VALUE.");
        if (kind == RunKind.TEXT) {
            b.append(" Example:\n  ").append(program).append(" --sample best.safetensors --prompt \"ROMEO:\" --temperature 0.8 --length 500");
        }
        b.append("\n\n").append(SpecSyntax.SCHEDULE_HELP);
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
                """);
        if (kind == RunKind.DATA_SET) {
            b.append("""

                    PREDICT (--predict CHECKPOINT [--input FILE] [--output FILE])
                      one line per row: class index and its probability for a classifier (for each output of a binary
                      model), the values for regression. --input is a CSV of feature rows (a first line of column names
                      is allowed); without it, the data set's test split.
                    """);
        }
        b.append("""

                FILES
                  A checkpoint (safetensors) holds the weights under the model's parameter names, the optimizer
                  state, the schedule and early-stopping state and the history; --resume with the same options
                  continues exactly, also from a checkpoint taken within an epoch (--save-every). Writes are atomic.
                """);
        return b.toString();
    }
}
