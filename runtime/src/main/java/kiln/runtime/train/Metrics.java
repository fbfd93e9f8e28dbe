package kiln.runtime.train;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import kiln.runtime.Batch;
import kiln.runtime.CompiledModel;
import kiln.runtime.SequenceModel;
import kiln.runtime.data.Dataset;
import kiln.runtime.text.TokenStreams;

/**
 * A model's figures on held-out data, as training reports them: the mean loss per sample (per
 * token for a text), each loss term's unweighted mean when the model has several, and the
 * accuracy ({@link Accuracy}). Evaluation runs in inference mode (no dropout, batch norm by running
 * statistics) and restores the model's mode after.
 */
public final class Metrics {
    private Metrics() {}

    /** The figures {@code model} reports, in order: loss, each term when it has several, accuracy when it has one (not for regression). */
    public static List<String> figureNames(CompiledModel model) {
        List<String> names = new ArrayList<>();
        names.add("loss");
        if (model.lossTermNames().size() > 1) names.addAll(model.lossTermNames());
        if (Accuracy.defined(model)) names.add("accuracy");
        return names;
    }

    /**
     * The figures of {@code model} on all of {@code data}, in order, using {@code batch} as the
     * staging buffer (at most {@code min(batch.capacity, maxBatch)} rows at a time).
     */
    public static Evaluation evaluate(CompiledModel model, Dataset data, Batch batch) {
        Sums sums = new Sums(model);
        if (data.size() == 0) return sums.evaluation(0);
        int rows = Math.min(batch.capacity, model.maxBatch());
        data.checkBatch(batch, rows);
        boolean training = model.isTraining();
        model.setTraining(false);
        try {
            for (int from = 0; from < data.size(); from += rows) {
                int n = Math.min(rows, data.size() - from);
                data.copyRange(from, n, batch);
                sums.add(model, model.predict(batch), batch, n);
            }
        } finally {
            model.setTraining(training);
        }
        return sums.evaluation(data.size());
    }

    /**
     * The figures of a model reading a text ({@link SequenceModel}) on all of {@code streams}, read
     * in chunks with the state carried across them, as in training: the loss is the mean
     * cross-entropy per token, in nats. Then the model is as before, its carried state reset.
     */
    public static Evaluation evaluateText(CompiledModel model, TokenStreams streams, Batch batch) {
        SequenceModel sequence = (SequenceModel) model;
        boolean training = model.isTraining(), carry = sequence.carriesState();
        int steps = sequence.activeSteps();
        Sums sums = new Sums(model);
        long tokens = 0;
        try {
            model.setTraining(false);
            sequence.setCarryState(true);
            sequence.resetState();
            streams.start(0);
            for (int active; (active = streams.next(batch)) > 0; ) {
                sequence.setActiveSteps(active);
                int n = batch.size * active;
                sums.add(model, model.predict(batch), batch, n);
                tokens += n;
            }
        } finally {
            sequence.resetState();
            sequence.setActiveSteps(steps);
            sequence.setCarryState(carry);
            model.setTraining(training);
        }
        return sums.evaluation(tokens);
    }

    /** Loss, term and accuracy sums over batches. */
    private static final class Sums {
        private final List<String> names;
        private final double[] terms;
        private final boolean accuracy;
        private double loss, weight;
        private long correct, judged;

        Sums(CompiledModel model) {
            this.names = model.lossTermNames().size() > 1 ? model.lossTermNames() : List.of();
            this.terms = new double[names.size()];
            this.accuracy = Accuracy.defined(model);
        }

        /** Adds a batch whose forward pass gave {@code predictions}; {@code weight} is its samples (or tokens). */
        void add(CompiledModel model, float[] predictions, Batch batch, int weight) {
            correct += Accuracy.correct(model, predictions, batch);
            judged += Accuracy.judged(model, batch);
            loss += (double) model.loss(batch) * weight;
            for (int k = 0; k < terms.length; k++) terms[k] += model.lossTerm(k) * weight;
            this.weight += weight;
        }

        Evaluation evaluation(long samples) {
            Map<String, Double> figures = new LinkedHashMap<>();
            figures.put("loss", weight == 0 ? Double.NaN : loss / weight);
            for (int k = 0; k < terms.length; k++) figures.put(names.get(k), weight == 0 ? Double.NaN : terms[k] / weight);
            if (accuracy) figures.put("accuracy", judged == 0 ? Double.NaN : (double) correct / judged);
            return new Evaluation(figures, samples);
        }
    }
}
