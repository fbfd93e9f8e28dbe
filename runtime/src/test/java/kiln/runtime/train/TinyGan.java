package kiln.runtime.train;

import java.util.Arrays;
import kiln.dsl.Init;
import kiln.dsl.InputKind;
import kiln.runtime.Batch;
import kiln.runtime.CompiledModel;
import kiln.runtime.Param;
import kiln.runtime.TargetKind;
import kiln.runtime.optim.Optimizer;

/**
 * A hand-written generator and discriminator over points in the plane, and the step that trains
 * them as a GAN: the shape of the README's example, small enough to check bit for bit.
 */
public final class TinyGan {
    public static final int LATENT = 2, DIM = 2;

    private TinyGan() {}

    /** fake = z G^T + g: a model with no loss of its own, trained through the discriminator's input gradient. */
    public static final class Generator extends CompiledModel {
        private final Param weight, bias;
        private final float[] fake, fakeGrad;

        public Generator(int maxBatch) {
            super(maxBatch, 1);
            weight = param("fc.weight", false, Init.XAVIER_UNIFORM, LATENT, DIM, DIM, LATENT);
            bias = param("fc.bias", true, Init.ZEROS, LATENT, DIM, DIM);
            input("z", InputKind.FEATURES, LATENT);
            fake = new float[maxBatch * DIM];
            fakeGrad = new float[maxBatch * DIM];
            node("fake", fake, fakeGrad, DIM);
            output("fake");
        }

        @Override public String name() { return "TinyGenerator"; }
        @Override public int outputSize() { return DIM; }
        @Override public TargetKind targetKind() { return TargetKind.NONE; }
        @Override public int targetSize() { return 0; }

        @Override
        protected void forwardPass(int n, boolean updateStatistics) {
            float[] z = inputArray(0);
            for (int r = 0; r < n; r++) {
                for (int j = 0; j < DIM; j++) {
                    float v = bias.value[j];
                    for (int i = 0; i < LATENT; i++) v += weight.value[j * LATENT + i] * z[r * LATENT + i];
                    fake[r * DIM + j] = v;
                }
            }
        }

        @Override protected float lossPass(Batch batch, boolean seedGradients) { return 0; }

        @Override
        protected void zeroUnseededOutputGradients(int n) {
            Arrays.fill(fakeGrad, 0, n * DIM, 0f);
        }

        @Override
        protected void zeroSeeds() {
            Arrays.fill(fakeGrad, 0f);
        }

        @Override
        protected void backwardPass(int n) {
            float[] z = inputArray(0);
            Arrays.fill(weight.grad, 0f);
            Arrays.fill(bias.grad, 0f);
            for (int r = 0; r < n; r++) {
                for (int j = 0; j < DIM; j++) {
                    float g = fakeGrad[r * DIM + j];
                    bias.grad[j] += g;
                    for (int i = 0; i < LATENT; i++) weight.grad[j * LATENT + i] += g * z[r * LATENT + i];
                }
            }
        }

        @Override protected float[] predictions(int n) { return fake; }
    }

    /** p = sigmoid(x . w + b), binary cross-entropy against targets; computes its input's gradient when asked. */
    public static final class Discriminator extends CompiledModel {
        private final Param weight, bias;
        private final float[] p, dlogit, inputGrad;
        /** Test hook: when > 0, a weight gradient turns NaN on this backward call (1-based; two calls a step). */
        int nanGradientOnCall;
        private int backwardCalls;

        public Discriminator(int maxBatch) {
            super(maxBatch, 1);
            weight = param("fc.weight", false, Init.XAVIER_UNIFORM, DIM, 1, 1, DIM);
            bias = param("fc.bias", true, Init.ZEROS, DIM, 1, 1);
            inputGrad = input("x", InputKind.FEATURES, DIM);
            lossTerm("bce", 1);
            p = new float[maxBatch];
            dlogit = new float[maxBatch];
        }

        @Override public String name() { return "TinyDiscriminator"; }
        @Override public int outputSize() { return 1; }
        @Override public TargetKind targetKind() { return TargetKind.BINARY; }
        @Override public int targetSize() { return 1; }

        @Override
        protected void forwardPass(int n, boolean updateStatistics) {
            float[] x = inputArray(0);
            for (int r = 0; r < n; r++) {
                float z = bias.value[0];
                for (int i = 0; i < DIM; i++) z += weight.value[i] * x[r * DIM + i];
                p[r] = (float) (1 / (1 + Math.exp(-z)));
            }
        }

        @Override
        protected float lossPass(Batch batch, boolean seedGradients) {
            int n = batch.size;
            double sum = 0;
            for (int r = 0; r < n; r++) {
                float t = batch.targets[r];
                sum -= t * Math.log(Math.max(p[r], 1e-7f)) + (1 - t) * Math.log(Math.max(1 - p[r], 1e-7f));
                if (seedGradients) dlogit[r] = (p[r] - t) / n;
            }
            lossTerms[0] = sum / n;
            return (float) lossTerms[0];
        }

        @Override protected void zeroUnseededOutputGradients(int n) {}
        @Override protected void zeroSeeds() { Arrays.fill(dlogit, 0f); }

        @Override
        protected void backwardPass(int n) {
            float[] x = inputArray(0);
            Arrays.fill(weight.grad, 0f);
            Arrays.fill(bias.grad, 0f);
            for (int r = 0; r < n; r++) {
                bias.grad[0] += dlogit[r];
                for (int i = 0; i < DIM; i++) {
                    weight.grad[i] += dlogit[r] * x[r * DIM + i];
                    if (computeInputGradients) inputGrad[r * DIM + i] = dlogit[r] * weight.value[i];
                }
            }
            if (++backwardCalls == nanGradientOnCall) weight.grad[0] = Float.NaN;
        }

        @Override protected float[] predictions(int n) { return p; }
    }

    /**
     * The GAN step: the discriminator learns real (target 1) from fake (target 0) on one batch of
     * both, then the generator learns to make the discriminator say "real" through its input
     * gradient. Allocates nothing: its batches are made here, once.
     */
    public static TrainingStep step(Generator generator, Optimizer generatorOptimizer, Discriminator discriminator,
            Optimizer discriminatorOptimizer, int maxBatch) {
        Batch noise = Batch.forModel(generator, maxBatch);
        Batch both = Batch.forModel(discriminator, 2 * maxBatch);
        Batch fooled = Batch.forModel(discriminator, maxBatch);
        return (batch, context) -> {
            int n = batch.size;
            noise.size = n;
            context.gaussian(noise.x, n * LATENT);
            generator.forward(noise);
            float[] fake = generator.activation("fake");

            both.size = 2 * n;
            System.arraycopy(batch.x, 0, both.x, 0, n * DIM);
            System.arraycopy(fake, 0, both.x, n * DIM, n * DIM);
            for (int r = 0; r < 2 * n; r++) both.targets[r] = r < n ? 1 : 0;
            discriminator.setInputGradients(false);
            discriminator.forward(both);
            context.reportAccuracy(discriminator, both);
            context.report("d_loss", discriminator.lossAndGrad(both));
            discriminator.backward();
            context.update(discriminatorOptimizer);

            fooled.size = n;
            System.arraycopy(fake, 0, fooled.x, 0, n * DIM);
            for (int r = 0; r < n; r++) fooled.targets[r] = 1;
            discriminator.setInputGradients(true);
            discriminator.forward(fooled);
            context.report("g_loss", discriminator.lossAndGrad(fooled));
            discriminator.backward();
            generator.zeroOutputGradients();
            System.arraycopy(discriminator.inputGradient("x"), 0, generator.outputGradient("fake"), 0, n * DIM);
            generator.backward();
            context.update(generatorOptimizer);
        };
    }
}
