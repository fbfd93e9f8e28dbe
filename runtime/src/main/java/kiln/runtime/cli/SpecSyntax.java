package kiln.runtime.cli;

import java.util.List;
import java.util.Map;
import kiln.dsl.ScheduleSpec;
import kiln.dsl.SpecArguments;
import kiln.runtime.optim.LearningRateSchedule;
import kiln.runtime.train.EarlyStopping;
import kiln.runtime.train.Monitor;

/**
 * The {@code KIND[:ARGS]} values of {@code --schedule} and {@code --early-stop}, and the
 * {@code NAME=VALUES} of {@code --size}. The schedule syntax itself lives in {@link ScheduleSpec},
 * which the processor also checks {@code @Model(schedule = ...)} with; here its messages get the
 * option's name, as every {@link UsageException} does.
 */
final class SpecSyntax {
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

    /** The checked spec of {@code text} for a run of {@code epochs}. */
    static ScheduleSpec scheduleSpec(String text, int epochs) throws UsageException {
        try {
            return ScheduleSpec.parse(text, epochs);
        } catch (IllegalArgumentException e) {
            throw new UsageException("--schedule " + e.getMessage());
        }
    }

    /** The schedule {@code text} names for a run of {@code epochs}, a plateau following {@code monitor}; null for {@code none}. */
    static LearningRateSchedule schedule(String text, int epochs, Monitor monitor) throws UsageException {
        return LearningRateSchedule.of(scheduleSpec(text, epochs), monitor.maximize());
    }

    /** {@code PATIENCE[:min-delta=X]} or {@code patience=N,min-delta=X}. */
    static EarlyStopping earlyStopping(String text) throws UsageException {
        try {
            Map<String, String> args = SpecArguments.parse(text, List.of("patience", "min-delta"), 2);
            if (!args.containsKey("patience")) throw new UsageException("--early-stop: needs the patience in epochs, e.g. --early-stop 5");
            double minDelta = args.containsKey("min-delta") ? SpecArguments.number("min-delta", args.get("min-delta")) : 0;
            return new EarlyStopping(SpecArguments.count("patience", args.get("patience")), minDelta);
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
}
