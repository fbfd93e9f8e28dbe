package kiln.runtime.train;

import java.io.PrintStream;
import java.util.Locale;
import java.util.Map;

/**
 * The training log: during an epoch, a progress line
 * {@code epoch 2/5  [#####.....]  31,000/55,000  loss 0.1234  acc 96.1%  48,210 samples/s  ETA 0:03}
 * with every running figure (each loss term of a model with several, a step's own figures); after
 * it, a summary with the training and validation figures.
 *
 * <p>On a terminal the progress line redraws in place (carriage return) about ten times a second;
 * into a file or pipe it is printed as a plain line at each tenth of the epoch, so logs stay short.
 * {@link #update} is called every step, so it only compares numbers and formats nothing unless it
 * prints.
 */
public final class Progress {
    private static final long REDRAW_NANOS = 100_000_000L;
    private static final int BAR = 10;

    private final PrintStream out;
    private final boolean interactive;
    private int epoch, epochs;
    private long total, startDone;
    private String unit = "samples";
    private long startNanos, lastDrawNanos;
    private long nextTenth;
    private int drawnWidth;

    public Progress(PrintStream out, boolean interactive) {
        this.out = out;
        this.interactive = interactive;
    }

    /** Redraws in place only when writing to the process's own stdout or stderr on a terminal. */
    public static Progress to(PrintStream out) {
        java.io.Console console = System.console(); // null, or not a terminal, when output is redirected
        return new Progress(out, console != null && console.isTerminal() && (out == System.out || out == System.err));
    }

    /**
     * Starts an epoch of {@code total} {@code unit} (samples, or a text's characters), of which
     * {@code alreadyDone} were trained before (a resumed mid-epoch checkpoint).
     */
    void startEpoch(int epoch, int epochs, long total, long alreadyDone, String unit) {
        this.startDone = alreadyDone;
        this.nextTenth = alreadyDone * 10 / Math.max(total, 1) + 1;
        this.epoch = epoch;
        this.epochs = epochs;
        this.total = total;
        this.unit = unit;
        this.startNanos = System.nanoTime();
        this.lastDrawNanos = startNanos;
        this.drawnWidth = 0;
    }

    /** {@code done} units of this epoch are trained; {@code running} holds the running figures. */
    void update(long done, RunningFigures running) {
        if (interactive) {
            long now = System.nanoTime();
            if (now - lastDrawNanos < REDRAW_NANOS) return;
            lastDrawNanos = now;
            draw(done, running, now);
        } else if (total > 0 && done * 10 >= nextTenth * total && done < total) {
            nextTenth = done * 10 / total + 1;
            out.println(line(done, running, System.nanoTime()));
        }
    }

    /**
     * Ends the epoch: completes the progress line and prints the summary, {@code train} and
     * {@code validation} as {@link #figures} formats them, then {@code note} (e.g. {@code "  lr 0.01  best"}).
     */
    void endEpoch(RunningFigures running, String train, String validation, double seconds, double unitsPerSecond, String note) {
        if (interactive) {
            draw(total, running, System.nanoTime());
            out.println();
        }
        out.println(String.format(Locale.ROOT, "epoch %d/%d  train %s%s  %.1f s  %,.0f %s/s", epoch, epochs, train,
                validation.isEmpty() ? "" : "  val " + validation, seconds, unitsPerSecond, unit) + note);
        out.flush();
    }

    /** Ends a partly drawn progress line (before an error message is printed). */
    public void interrupt() {
        if (interactive && drawnWidth > 0) out.println();
        drawnWidth = 0;
    }

    /** {@code loss 0.1234  acc 96.1%}, leaving out what is NaN. */
    public static String figures(double loss, double accuracy) {
        return figures(Map.of("loss", loss, "accuracy", accuracy), false);
    }

    /**
     * Figures as the log shows them, the loss first: {@code loss 0.1234  kl 0.0211  acc 96.1%}, an
     * accuracy in percent, leaving out what is NaN ({@code loss -} when the loss is); {@code -} when
     * nothing is left. With {@code perCharacter} the loss is a text model's cross-entropy per
     * character, also given in bits.
     */
    public static String figures(Map<String, Double> figures, boolean perCharacter) {
        StringBuilder b = new StringBuilder();
        if (figures.containsKey("loss")) appendFigure(b, "loss", figures.get("loss"), perCharacter);
        for (Map.Entry<String, Double> f : figures.entrySet()) {
            if (!f.getKey().equals("loss")) appendFigure(b, f.getKey(), f.getValue(), false);
        }
        return b.length() == 0 ? "-" : b.toString();
    }

    private static void appendFigure(StringBuilder b, String name, double value, boolean perCharacter) {
        boolean loss = name.equals("loss");
        if (Double.isNaN(value) && !loss) return;
        if (b.length() > 0) b.append("  ");
        if (Double.isNaN(value)) {
            b.append("loss -");
        } else if (Monitor.isAccuracy(name)) {
            b.append(name, 0, name.length() - "uracy".length()).append(String.format(Locale.ROOT, " %.1f%%", value * 100));
        } else {
            b.append(name).append(String.format(Locale.ROOT, " %.4f", value));
            if (perCharacter) b.append(String.format(Locale.ROOT, " nats/char (%.3f bits)", value / Math.log(2)));
        }
    }

    private void draw(long done, RunningFigures running, long now) {
        String line = line(done, running, now);
        // Pad with spaces so a shorter line fully covers the previous one.
        String pad = drawnWidth > line.length() ? " ".repeat(drawnWidth - line.length()) : "";
        out.print("\r" + line + pad);
        out.flush();
        drawnWidth = line.length();
    }

    private String line(long done, RunningFigures running, long now) {
        double seconds = (now - startNanos) / 1e9;
        double rate = seconds > 0 ? (done - startDone) / seconds : 0;
        int filled = total == 0 ? BAR : (int) (done * BAR / total);
        String bar = "#".repeat(filled) + ".".repeat(BAR - filled);
        String eta = rate > 0 ? clock((total - done) / rate) : "-";
        return String.format(Locale.ROOT, "epoch %d/%d  [%s]  %,d/%,d  %s  %,.0f %s/s  ETA %s",
                epoch, epochs, bar, done, total, figures(running.means(), false), rate, unit, eta);
    }

    /** m:ss, or h:mm:ss from an hour up. */
    static String clock(double seconds) {
        long s = Math.round(seconds);
        return s >= 3600
                ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
                : String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
    }
}
