package kiln.runtime.train;

import java.io.PrintStream;
import java.util.Locale;

/**
 * The training log: during an epoch, a progress line
 * {@code epoch 2/5  [#####.....]  31,000/55,000  loss 0.1234  acc 96.1%  48,210 samples/s  ETA 0:03};
 * after it, a summary with train and validation figures.
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
    private int epoch, epochs, samples;
    private long startNanos, lastDrawNanos;
    private int nextTenth;
    private int startDone;
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

    public void startEpoch(int epoch, int epochs, int samples) {
        startEpoch(epoch, epochs, samples, 0);
    }

    /** Starts an epoch of which {@code alreadyDone} samples were trained before (a resumed mid-epoch checkpoint). */
    public void startEpoch(int epoch, int epochs, int samples, int alreadyDone) {
        this.startDone = alreadyDone;
        this.nextTenth = (int) ((long) alreadyDone * 10 / Math.max(samples, 1)) + 1;
        this.epoch = epoch;
        this.epochs = epochs;
        this.samples = samples;
        this.startNanos = System.nanoTime();
        this.lastDrawNanos = startNanos;
        this.drawnWidth = 0;
    }

    /** {@code done} samples of this epoch are trained; loss and accuracy are the running means. */
    public void update(int done, double loss, double accuracy) {
        if (interactive) {
            long now = System.nanoTime();
            if (now - lastDrawNanos < REDRAW_NANOS) return;
            lastDrawNanos = now;
            draw(done, loss, accuracy, now);
        } else if (samples > 0 && (long) done * 10 >= (long) nextTenth * samples && done < samples) {
            nextTenth = (int) ((long) done * 10 / samples) + 1;
            out.println(line(done, loss, accuracy, System.nanoTime()));
        }
    }

    /** Ends the epoch: completes the progress line and prints the summary. */
    public void endEpoch(double trainLoss, double trainAccuracy, Evaluation validation, double seconds, double samplesPerSecond) {
        endEpoch(trainLoss, trainAccuracy, validation, seconds, samplesPerSecond, "");
    }

    /** As above, with {@code note} (e.g. {@code "  lr 0.01  best"}) appended to the summary line. */
    public void endEpoch(double trainLoss, double trainAccuracy, Evaluation validation, double seconds, double samplesPerSecond,
            String note) {
        if (interactive) {
            draw(samples, trainLoss, trainAccuracy, System.nanoTime());
            out.println();
        }
        out.println(String.format(Locale.ROOT, "epoch %d/%d  train %s  val %s  %.1f s  %,.0f samples/s", epoch, epochs,
                figures(trainLoss, trainAccuracy), figures(validation.loss(), validation.accuracy()), seconds, samplesPerSecond) + note);
        out.flush();
    }

    /** Ends a partly drawn progress line (before an error message is printed). */
    public void interrupt() {
        if (interactive && drawnWidth > 0) out.println();
        drawnWidth = 0;
    }

    /** {@code loss 0.1234  acc 96.1%}, leaving out what is NaN. */
    public static String figures(double loss, double accuracy) {
        String s = Double.isNaN(loss) ? "loss -" : String.format(Locale.ROOT, "loss %.4f", loss);
        return Double.isNaN(accuracy) ? s : s + String.format(Locale.ROOT, "  acc %.1f%%", accuracy * 100);
    }

    private void draw(int done, double loss, double accuracy, long now) {
        String line = line(done, loss, accuracy, now);
        // Pad with spaces so a shorter line fully covers the previous one.
        String pad = drawnWidth > line.length() ? " ".repeat(drawnWidth - line.length()) : "";
        out.print("\r" + line + pad);
        out.flush();
        drawnWidth = line.length();
    }

    private String line(int done, double loss, double accuracy, long now) {
        double seconds = (now - startNanos) / 1e9;
        double rate = seconds > 0 ? (done - startDone) / seconds : 0;
        int filled = samples == 0 ? BAR : (int) ((long) done * BAR / samples);
        String bar = "#".repeat(filled) + ".".repeat(BAR - filled);
        String eta = rate > 0 ? clock((samples - done) / rate) : "-";
        return String.format(Locale.ROOT, "epoch %d/%d  [%s]  %,d/%,d  %s  %,.0f samples/s  ETA %s",
                epoch, epochs, bar, done, samples, figures(loss, accuracy), rate, eta);
    }

    /** m:ss, or h:mm:ss from an hour up. */
    static String clock(double seconds) {
        long s = Math.round(seconds);
        return s >= 3600
                ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
                : String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
    }
}
