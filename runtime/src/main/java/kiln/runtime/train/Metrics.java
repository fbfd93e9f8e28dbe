package kiln.runtime.train;

import kiln.runtime.Batch;
import kiln.runtime.CompiledModel;
import kiln.runtime.TargetKind;
import kiln.runtime.data.Dataset;

/**
 * Running loss and accuracy over batches. Loss is averaged per sample (a batch's mean loss
 * weighted by its size, so a short last batch counts less). Accuracy is arg-max agreement for
 * class indices and agreement of the 0.5 threshold, output by output, for binary targets;
 * regression has none. Adding allocates nothing.
 */
public final class Metrics {
    private double lossSum;
    private long lossSamples;
    private long correct;
    private long judged;

    public void reset() {
        lossSum = 0;
        lossSamples = 0;
        correct = 0;
        judged = 0;
    }

    /** Adds a batch's mean loss over {@code n} samples. */
    public void addLoss(float meanLoss, int n) {
        lossSum += (double) meanLoss * n;
        lossSamples += n;
    }

    /** Scores rows [0, batch.size) of {@code predictions} ([rows, outputSize], as from predict) against the batch. */
    public void addPredictions(TargetKind kind, float[] predictions, int outputSize, Batch batch) {
        int n = batch.size;
        switch (kind) {
            case CLASS_INDEX -> {
                for (int r = 0; r < n; r++) {
                    int base = r * outputSize, best = 0;
                    for (int j = 1; j < outputSize; j++) if (predictions[base + j] > predictions[base + best]) best = j;
                    if (best == batch.labels[r]) correct++;
                }
                judged += n;
            }
            case BINARY -> {
                int outputs = Math.min(outputSize, batch.targetSize);
                for (int r = 0; r < n; r++) {
                    for (int j = 0; j < outputs; j++) {
                        if ((predictions[r * outputSize + j] >= 0.5f) == (batch.targets[r * batch.targetSize + j] >= 0.5f)) correct++;
                    }
                }
                judged += (long) n * outputs;
            }
            case REGRESSION -> {
                // No notion of correct.
            }
        }
    }

    /** The running sums, for a mid-epoch checkpoint: loss sum, loss samples, correct, judged. */
    public double[] sums() {
        return new double[] {lossSum, lossSamples, correct, judged};
    }

    /** Restores {@link #sums()}, so a resumed epoch's running figures continue where they were. */
    public void restoreSums(double[] sums) {
        lossSum = sums[0];
        lossSamples = (long) sums[1];
        correct = (long) sums[2];
        judged = (long) sums[3];
    }

    /** Mean loss per sample; NaN before any batch. */
    public double meanLoss() {
        return lossSamples == 0 ? Double.NaN : lossSum / lossSamples;
    }

    /** Fraction correct in [0, 1]; NaN when nothing was judged (regression, or no batch yet). */
    public double accuracy() {
        return judged == 0 ? Double.NaN : (double) correct / judged;
    }

    /**
     * Mean loss and accuracy of {@code model} on all of {@code data}, in order, using {@code batch}
     * as the staging buffer (at most {@code min(batch.capacity, maxBatch)} rows at a time). Runs in
     * inference mode (no dropout, batch norm by running statistics), then restores the model's mode.
     */
    public static Evaluation evaluate(CompiledModel model, Dataset data, Batch batch) {
        if (data.size() == 0) return new Evaluation(Double.NaN, Double.NaN, 0);
        int rows = Math.min(batch.capacity, model.maxBatch());
        data.checkBatch(batch, rows);
        Metrics m = new Metrics();
        boolean training = model.isTraining();
        model.setTraining(false);
        try {
            for (int from = 0; from < data.size(); from += rows) {
                int n = Math.min(rows, data.size() - from);
                data.copyRange(from, n, batch);
                float[] predictions = model.predict(batch);
                m.addPredictions(model.targetKind(), predictions, model.outputSize(), batch);
                m.addLoss(model.loss(batch), n);
            }
        } finally {
            model.setTraining(training);
        }
        return new Evaluation(m.meanLoss(), m.accuracy(), data.size());
    }
}
