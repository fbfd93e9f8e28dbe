package kiln.runtime.train;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The per-epoch figures of a run, oldest first, written as a table with one column per figure:
 * {@code epoch,step,lr}, then {@code train_<figure>} for every training figure, {@code val_<figure>}
 * for every validation figure, then {@code seconds}. A classifier's columns are
 * {@code train_loss,train_accuracy,val_loss,val_accuracy}; a model with several loss terms adds
 * one column per term on each side. Checkpoints carry the history as CSV text (numbers in Java's
 * shortest round-trip form), so a resumed run's log and curves cover the whole run.
 */
public final class TrainingHistory {
    private static final String TRAIN = "train_", VALIDATION = "val_";

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

    /** The training figures' names over all epochs, in the order they first appear. */
    public List<String> trainFigures() {
        Set<String> names = new LinkedHashSet<>();
        for (EpochRecord r : records) names.addAll(r.train().keySet());
        return List.copyOf(names);
    }

    /** The validation figures' names over all epochs, in the order they first appear. */
    public List<String> validationFigures() {
        Set<String> names = new LinkedHashSet<>();
        for (EpochRecord r : records) names.addAll(r.validation().keySet());
        return List.copyOf(names);
    }

    /** The CSV text: a header line, then one line per epoch. */
    public String toCsv() {
        List<String> train = trainFigures(), validation = validationFigures();
        StringBuilder b = new StringBuilder("epoch,step,lr");
        for (String f : train) b.append(',').append(TRAIN).append(f);
        for (String f : validation) b.append(',').append(VALIDATION).append(f);
        b.append(",seconds\n");
        for (EpochRecord r : records) {
            b.append(r.epoch()).append(',').append(r.step()).append(',').append(r.lr());
            for (String f : train) b.append(',').append(r.train().getOrDefault(f, Double.NaN));
            for (String f : validation) b.append(',').append(r.validation().getOrDefault(f, Double.NaN));
            b.append(',').append(r.seconds()).append('\n');
        }
        return b.toString();
    }

    /** JSON lines, one object per epoch, keys as the CSV's columns; undefined figures are null. */
    public String toJsonLines() {
        List<String> train = trainFigures(), validation = validationFigures();
        StringBuilder b = new StringBuilder();
        for (EpochRecord r : records) {
            b.append("{\"epoch\":").append(r.epoch()).append(",\"step\":").append(r.step()).append(",\"lr\":").append(json(r.lr()));
            for (String f : train) b.append(",\"").append(TRAIN).append(f).append("\":").append(json(r.train().getOrDefault(f, Double.NaN)));
            for (String f : validation) {
                b.append(",\"").append(VALIDATION).append(f).append("\":").append(json(r.validation().getOrDefault(f, Double.NaN)));
            }
            b.append(",\"seconds\":").append(json(r.seconds())).append("}\n");
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
        String[] header = lines[0].split(",");
        int n = header.length;
        if (n < 4 || !header[0].equals("epoch") || !header[1].equals("step") || !header[2].equals("lr") || !header[n - 1].equals("seconds")) {
            throw new IllegalArgumentException("history does not start with the header epoch,step,lr,...,seconds");
        }
        for (int c = 3; c < n - 1; c++) {
            if (!header[c].startsWith(TRAIN) && !header[c].startsWith(VALIDATION)) {
                throw new IllegalArgumentException("history column '" + header[c] + "' is neither train_ nor val_");
            }
        }
        for (int i = 1; i < lines.length; i++) {
            String[] f = lines[i].split(",");
            if (f.length != n) throw new IllegalArgumentException("history line " + (i + 1) + " has " + f.length + " fields, expected " + n);
            Map<String, Double> train = new LinkedHashMap<>(), validation = new LinkedHashMap<>();
            for (int c = 3; c < n - 1; c++) {
                if (header[c].startsWith(TRAIN)) train.put(header[c].substring(TRAIN.length()), Double.parseDouble(f[c]));
                else validation.put(header[c].substring(VALIDATION.length()), Double.parseDouble(f[c]));
            }
            EpochRecord r = new EpochRecord(Integer.parseInt(f[0]), Long.parseLong(f[1]), Double.parseDouble(f[2]), train, validation,
                    Double.parseDouble(f[n - 1]));
            if (r.epoch() <= lastEpoch) h.add(r);
        }
        return h;
    }
}
