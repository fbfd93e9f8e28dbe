package kiln.dsl;

import java.util.List;
import java.util.Locale;

/**
 * The names a model declaration and the runtime must agree on: what {@code @Model(optimizer,
 * schedule, data)} may say is what the generated main accepts. The processor checks declarations
 * against these lists at compile time; the runtime builds optimizers, schedules and data sources
 * from them; so a name accepted by one side is never refused by the other.
 */
public final class TrainingNames {
    /** Optimizers, in the order messages list them (PyTorch's rules; momentum and nesterov are SGD presets). */
    public static final List<String> OPTIMIZERS = List.of("sgd", "momentum", "nesterov", "adam", "adamw", "rmsprop", "adagrad");

    /** Learning-rate schedule kinds, the first word of a schedule spec ({@link ScheduleSpec}). */
    public static final List<String> SCHEDULES = List.of("step", "exp", "cosine", "plateau", "none");

    /** Built-in data sets a model may train on ({@code @Model(data = "mnist")}). */
    public static final List<String> DATA_SETS = List.of("mnist", "fashion-mnist", "cifar-10");

    /** Built-in texts: a model that names one is a character language model ({@code @Model(data = "shakespeare")}). */
    public static final List<String> TEXTS = List.of("shakespeare");

    private TrainingNames() {}

    /** Whether {@code data} names a built-in text (case-insensitive). */
    public static boolean isText(String data) {
        return TEXTS.contains(data.strip().toLowerCase(Locale.ROOT));
    }

    /** Whether {@code data} names a built-in data set (case-insensitive). */
    public static boolean isDataSet(String data) {
        return DATA_SETS.contains(data.strip().toLowerCase(Locale.ROOT));
    }

    /** Whether {@code optimizer} names an optimizer (case and surrounding blanks ignored). */
    public static boolean isOptimizer(String optimizer) {
        return optimizer != null && OPTIMIZERS.contains(optimizer.strip().toLowerCase(Locale.ROOT));
    }
}
