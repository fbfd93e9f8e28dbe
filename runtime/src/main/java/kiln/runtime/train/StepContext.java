package kiln.runtime.train;

import kiln.runtime.Batch;
import kiln.runtime.CompiledModel;
import kiln.runtime.Param;
import kiln.runtime.optim.Gradients;
import kiln.runtime.optim.Optimizer;

/**
 * What the training loop hands a {@link TrainingStep}: where training stands, a random source of
 * the step's own, a place to report figures, and the update that checks, clips and steps an
 * optimizer. One context serves the whole run; its methods allocate nothing once each figure has
 * been reported for the first time.
 *
 * <p>Figures are averaged over the epoch, each batch counting by its samples (a text's batches by
 * their tokens), and appear in the progress line, the epoch line, the metrics log and the curves.
 * A NaN or infinite figure or gradient stops training with one line naming the epoch, the step and
 * what broke; the last checkpoint stays as it was.
 */
public final class StepContext {
    /** Builds the loop's one-line message for a run that broke, with where it stood and what the checkpoint still holds. */
    interface Divergence {
        TrainingDivergedException diverged(String what, String where, String advice);
    }

    private final RunModels models;
    private final RunningFigures figures;
    private final Divergence divergence;
    private final double clipNorm, clipValue;
    private final boolean[] registered;
    private final int[] lossFigure, accuracyFigure;
    private final int[][] termFigures;
    private long step;
    private int epoch;
    private double weight;
    private long random;

    StepContext(RunModels models, RunningFigures figures, Divergence divergence, double clipNorm, double clipValue) {
        this.models = models;
        this.figures = figures;
        this.divergence = divergence;
        this.clipNorm = clipNorm;
        this.clipValue = clipValue;
        this.registered = new boolean[models.size()];
        this.lossFigure = new int[models.size()];
        this.accuracyFigure = new int[models.size()];
        this.termFigures = new int[models.size()][];
    }

    /** Starts step {@code step} of epoch {@code epoch} on a batch of {@code weight} samples (or tokens); {@code randomSeed} seeds its random source. */
    void begin(long step, int epoch, double weight, long randomSeed) {
        this.step = step;
        this.epoch = epoch;
        this.weight = weight;
        this.random = randomSeed;
    }

    /** The run's step count, this step included (1-based; it goes on across epochs and resumes). */
    public long step() {
        return step;
    }

    /** The epoch being trained (1-based). */
    public int epoch() {
        return epoch;
    }

    /**
     * Fills {@code dst[0, count)} with standard normal draws (a GAN's latent z, say). The draws
     * depend only on the run's seed and the step, so a resumed run draws what the uninterrupted
     * one did; successive calls within a step continue the stream.
     */
    public void gaussian(float[] dst, int count) {
        for (int i = 0; i < count; i += 2) {
            double radius = Math.sqrt(-2 * Math.log(1 - nextDouble())); // 1 - u is in (0, 1]
            double angle = 2 * Math.PI * nextDouble();
            dst[i] = (float) (radius * Math.cos(angle));
            if (i + 1 < count) dst[i + 1] = (float) (radius * Math.sin(angle));
        }
    }

    /** Fills {@code dst[0, count)} with uniform draws in [0, 1), from the same stream as {@link #gaussian}. */
    public void uniform(float[] dst, int count) {
        for (int i = 0; i < count; i++) dst[i] = (float) nextDouble();
    }

    /**
     * Adds this batch's value of figure {@code name} (e.g. {@code "d_loss"}) to the epoch's
     * running mean. A name is letters, digits, {@code _ . / -}.
     *
     * @throws TrainingDivergedException when {@code value} is NaN or infinite
     */
    public void report(String name, double value) throws TrainingDivergedException {
        int index = figures.index(name);
        if (!Double.isFinite(value)) throw divergence.diverged(name + " became " + value, brokenParameter(), "try a lower learning rate");
        figures.add(index, value * weight, weight);
    }

    /**
     * Reports {@code model}'s loss, the weighted total {@code lossAndGrad} returned, as figure
     * {@code loss} ({@code <model>/loss} in a run of several models), and, for a model with several
     * loss terms, each term's unweighted value under its name.
     *
     * @throws TrainingDivergedException when the loss is NaN or infinite, naming the first parameter already broken
     */
    public void reportLoss(CompiledModel model, float loss) throws TrainingDivergedException {
        int k = register(model);
        if (!Float.isFinite(loss)) throw divergence.diverged(models.prefix(k) + "loss became " + loss, brokenParameter(), "try a lower learning rate");
        figures.add(lossFigure[k], (double) loss * weight, weight);
        for (int t = 0; t < termFigures[k].length; t++) figures.add(termFigures[k][t], model.lossTerm(t) * weight, weight);
    }

    /**
     * Scores {@code model}'s predictions of its last forward pass against {@code batch}'s labels or
     * targets, as figure {@code accuracy} ({@code <model>/accuracy}); nothing for a model without
     * an accuracy (regression, no targets). Call it before {@code lossAndGrad}, which may reuse the
     * prediction buffers.
     */
    public void reportAccuracy(CompiledModel model, Batch batch) {
        int k = register(model);
        if (!Accuracy.defined(model)) return;
        figures.add(accuracyFigure[k], Accuracy.correct(model, model.lastPredictions(batch.size), batch), Accuracy.judged(model, batch));
    }

    /**
     * Updates the parameters of {@code optimizer}, one of the run's: checks that their gradients
     * are finite, clips them as the run is configured (global norm, then value), then steps it.
     *
     * @throws TrainingDivergedException when a gradient is NaN or infinite, naming the parameter; nothing is updated
     */
    public void update(Optimizer optimizer) throws TrainingDivergedException {
        int k = models.indexOf(optimizer);
        if (k < 0) throw new IllegalArgumentException("the optimizer " + optimizer.describe() + " is none of the run's models' " + models);
        Param[] params = models.optimized[k];
        int bad = Gradients.firstNonFiniteGradient(params);
        if (bad >= 0) {
            throw divergence.diverged("gradient of " + models.optimizedNames[k][bad] + " became " + Gradients.firstNonFinite(params[bad].grad), "",
                    "try a lower learning rate or gradient clipping");
        }
        if (clipNorm > 0) Gradients.clipByGlobalNorm(params, clipNorm);
        if (clipValue > 0) Gradients.clipByValue(params, clipValue);
        optimizer.step();
    }

    /** Model {@code model}'s position in the run, its figures registered on first use (loss, terms, accuracy, in that order). */
    private int register(CompiledModel model) {
        int k = models.indexOf(model);
        if (k < 0) throw new IllegalArgumentException(model.name() + " is none of the run's models " + models);
        if (!registered[k]) {
            String prefix = models.prefix(k);
            lossFigure[k] = figures.index(prefix + "loss");
            int terms = model.lossTermNames().size();
            termFigures[k] = new int[terms > 1 ? terms : 0];
            for (int t = 0; t < termFigures[k].length; t++) termFigures[k][t] = figures.index(prefix + model.lossTermNames().get(t));
            accuracyFigure[k] = Accuracy.defined(model) ? figures.index(prefix + "accuracy") : -1;
            registered[k] = true;
        }
        return k;
    }

    /** {@code ", parameter fc1.weight holding Infinity"} for the first parameter holding a non-finite value, or nothing. */
    private String brokenParameter() {
        int bad = Gradients.firstNonFiniteValue(models.params);
        return bad < 0 ? "" : ", parameter " + models.paramNames[bad] + " holding " + Gradients.firstNonFinite(models.params[bad].value);
    }

    /** Uniform in [0, 1): SplitMix64, the top 53 bits. */
    private double nextDouble() {
        long z = (random += 0x9E3779B97F4A7C15L);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        z ^= z >>> 31;
        return (z >>> 11) * 0x1.0p-53;
    }
}
