package kiln.runtime.train;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * The per-epoch figures of a run, oldest first. Checkpoints carry it as CSV text (numbers in
 * Java's shortest round-trip form), so a resumed run's log and curves cover the whole run.
 */
public final class TrainingHistory {
    static final String HEADER = "epoch,step,lr,train_loss,train_accuracy,val_loss,val_accuracy,seconds";

    private final List<EpochRecord> records = new ArrayList<>();

    public void add(EpochRecord r) {
        records.add(r);
    }

    public List<EpochRecord> records() {
        return Collections.unmodifiableList(records);
    }

    public boolean isEmpty() {
        return records.isEmpty();
    }

    /** Whether any epoch has an accuracy (classifiers), so the curves get an accuracy panel. */
    public boolean hasAccuracy() {
        for (EpochRecord r : records) if (!Double.isNaN(r.trainAccuracy()) || !Double.isNaN(r.validationAccuracy())) return true;
        return false;
    }

    /** The CSV text: a header line, then one line per epoch. */
    public String toCsv() {
        StringBuilder b = new StringBuilder(HEADER).append('\n');
        for (EpochRecord r : records) {
            b.append(r.epoch()).append(',').append(r.step()).append(',').append(r.lr()).append(',')
                    .append(r.trainLoss()).append(',').append(r.trainAccuracy()).append(',')
                    .append(r.validationLoss()).append(',').append(r.validationAccuracy()).append(',').append(r.seconds()).append('\n');
        }
        return b.toString();
    }

    /** JSON lines, one object per epoch; undefined figures are null. */
    public String toJsonLines() {
        StringBuilder b = new StringBuilder();
        for (EpochRecord r : records) {
            b.append(String.format(Locale.ROOT, "{\"epoch\":%d,\"step\":%d,\"lr\":%s,\"train_loss\":%s,\"train_accuracy\":%s,"
                            + "\"val_loss\":%s,\"val_accuracy\":%s,\"seconds\":%s}%n",
                    r.epoch(), r.step(), json(r.lr()), json(r.trainLoss()), json(r.trainAccuracy()),
                    json(r.validationLoss()), json(r.validationAccuracy()), json(r.seconds())));
        }
        return b.toString();
    }

    private static String json(double v) {
        return Double.isFinite(v) ? Double.toString(v) : "null";
    }

    /** Reads {@link #toCsv} text back, keeping the epochs up to {@code lastEpoch}; null or empty text gives an empty history. */
    public static TrainingHistory parseCsv(String text, int lastEpoch) {
        TrainingHistory h = new TrainingHistory();
        if (text == null || text.isBlank()) return h;
        String[] lines = text.split("\n");
        if (!lines[0].equals(HEADER)) throw new IllegalArgumentException("history does not start with the header " + HEADER);
        for (int i = 1; i < lines.length; i++) {
            String[] f = lines[i].split(",");
            if (f.length != 8) throw new IllegalArgumentException("history line " + (i + 1) + " has " + f.length + " fields, expected 8");
            EpochRecord r = new EpochRecord(Integer.parseInt(f[0]), Long.parseLong(f[1]), Double.parseDouble(f[2]),
                    Double.parseDouble(f[3]), Double.parseDouble(f[4]), Double.parseDouble(f[5]), Double.parseDouble(f[6]),
                    Double.parseDouble(f[7]));
            if (r.epoch() <= lastEpoch) h.add(r);
        }
        return h;
    }
}
