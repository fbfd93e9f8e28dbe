package kiln.samples.generative;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import kiln.runtime.Batch;
import kiln.runtime.CompiledModel;
import kiln.runtime.analysis.ClassShares;
import kiln.runtime.analysis.FrechetDistance;
import kiln.runtime.analysis.ImageGrid;
import kiln.runtime.cli.Options;
import kiln.runtime.cli.ReportContext;
import kiln.runtime.cli.RunKind;
import kiln.runtime.cli.RunSettings;
import kiln.runtime.cli.TrainDefaults;
import kiln.runtime.cli.TrainingMain;
import kiln.runtime.cli.UsageException;
import kiln.runtime.data.DataSources;
import kiln.runtime.optim.Optimizer;
import kiln.runtime.train.CustomTraining;
import kiln.runtime.train.TrainedModel;
import kiln.runtime.train.TrainingStep;

/**
 * The GAN of the {@code gan} workload of {@code pytorch_bench.py} on MNIST, with the command line of
 * every main: a {@link Generator} and a {@link Discriminator}, each with Adam 2e-4 (betas 0.5, 0.999),
 * batch 64; each step one discriminator update on a real and a generated batch (binary
 * cross-entropy on logits, real 1, generated 0, the two means summed), then one generator update
 * through the discriminator's input gradient (generated called real). Images are scaled to
 * [-1, 1], the generator's tanh range.
 *
 * <p>After every epoch it judges 10,000 generated digits with a LeNet trained on the training split
 * ({@link DigitJudge}): the Fréchet distance between their LeNet features and the test images'
 * ("LeNet-FID", {@code fid}), the share of each digit the judge sees, and its mean top
 * probability; and it draws 64 of them, always from the same noise, next to the checkpoint
 * ({@code .samples.png}).
 */
public final class GanMain {
    static final TrainDefaults DEFAULTS = new TrainDefaults(30, 64, 2e-4, "adam", 0, 42);
    private static final int JUDGED = 10_000, DRAWN = 64;
    /** Adam's betas for both models, as the DCGAN paper and the workload use. */
    private static final double BETA1 = 0.5, BETA2 = 0.999;

    private GanMain() {}

    public static void main(String[] args) {
        Path stem = stem(args);
        System.exit(TrainingMain.run("Gan", settings -> setup(settings, stem), DataSources.named("mnist"), DEFAULTS, args));
    }

    /** Where the pictures go: next to {@code --save}, else {@code gan.*} here (a bad command line is TrainingMain's to report). */
    private static Path stem(String[] args) {
        try {
            return ReportContext.stemOf(Options.parse(args, DEFAULTS, 1, RunKind.CUSTOM).save(), "gan");
        } catch (UsageException e) {
            return Path.of("gan");
        }
    }

    /** Both models for the run's batch, each with Adam, the step, and the judge that scores each epoch. */
    static CustomTraining setup(RunSettings run, Path stem) {
        Generator.class.getName(); // the declarations the two models are generated from
        GeneratorModel generator = new GeneratorModel(Math.max(run.batch(), 256), run.threads());
        DiscriminatorModel discriminator = new DiscriminatorModel(run.batch(), run.threads());
        Optimizer g = adam(generator, run), d = adam(discriminator, run);
        Batch noise = Batch.forModel(generator, run.batch());
        Batch images = Batch.forModel(discriminator, run.batch());
        TrainingStep step = (batch, context) -> {
            int n = batch.size;
            noise.size = n;
            images.size = n;
            context.gaussian(noise.x, n * Generator.NOISE); // from (seed, step): a resumed run draws the same
            generator.forward(noise);
            float[] fake = generator.activation("fake");

            // the discriminator: real images are 1, generated ones 0; the gradients of both batches add up
            for (int i = 0; i < n * 784; i++) images.x[i] = 2 * batch.x[i] - 1;
            Arrays.fill(images.targets, 0, n, 1f);
            discriminator.setInputGradients(false);
            discriminator.forward(images);
            float real = discriminator.lossAndGrad(images);
            discriminator.backward();
            System.arraycopy(fake, 0, images.x, 0, n * 784);
            Arrays.fill(images.targets, 0, n, 0f);
            discriminator.forward(images);
            float generated = discriminator.lossAndGrad(images);
            discriminator.setAccumulateGradients(true);
            discriminator.backward();
            discriminator.setAccumulateGradients(false);
            context.report("d_loss", real + generated);
            context.update(d);

            // the generator: make the (updated) discriminator call its images real
            Arrays.fill(images.targets, 0, n, 1f);
            discriminator.setInputGradients(true);
            discriminator.forward(images);
            context.report("g_loss", discriminator.lossAndGrad(images));
            discriminator.backward();
            generator.zeroOutputGradients();
            System.arraycopy(discriminator.inputGradient("image"), 0, generator.outputGradient("fake"), 0, n * 784);
            generator.backward();
            context.update(g);
        };
        DigitJudge judge = new DigitJudge(run.data(), run.threads());
        DigitJudge.Judgement test = judge.judge(run.data().test().x(), run.data().test().size());
        System.out.println(String.format(Locale.ROOT, "judge: LeNet, %.2f%% test accuracy; test images: %s", 100 * judge.testAccuracy(),
                test.classes()));
        return CustomTraining.of(step, new TrainedModel("generator", generator, g), new TrainedModel("discriminator", discriminator, d))
                .withEvaluator(data -> judgeGenerator(generator, judge, test, stem));
    }

    private static Optimizer adam(CompiledModel model, RunSettings run) {
        return new kiln.runtime.optim.Adam(model.trainableParams(), run.lr(), BETA1, BETA2, 1e-8, run.weightDecay());
    }

    /** 10,000 digits from fixed noise, judged against the test images; 64 of them drawn. */
    private static Map<String, Double> judgeGenerator(CompiledModel generator, DigitJudge judge, DigitJudge.Judgement test, Path stem) {
        generator.setTraining(false);
        float[] images = new float[JUDGED * 784];
        Batch noise = Batch.forModel(generator, generator.maxBatch());
        SplittableRandom random = new SplittableRandom(7);
        for (int from = 0; from < JUDGED; from += noise.capacity) {
            int n = Math.min(noise.capacity, JUDGED - from);
            for (int i = 0; i < n * Generator.NOISE; i++) noise.x[i] = (float) random.nextGaussian();
            noise.size = n;
            generator.forward(noise);
            float[] fake = generator.activation("fake");
            for (int i = 0; i < n * 784; i++) images[from * 784 + i] = (fake[i] + 1) / 2;
        }
        DigitJudge.Judgement generated = judge.judge(images, JUDGED);
        double fid = FrechetDistance.between(generated.features(), test.features()).value();
        ClassShares shares = generated.classes();
        System.out.println(String.format(Locale.ROOT, "  generated digits: LeNet-FID %.2f; %s", fid, shares));
        Path png = stem.resolveSibling(stem.getFileName() + ".samples.png");
        try {
            ImageGrid.of(28, 28, 8, 8).withScale(2).write(png, Arrays.copyOf(images, DRAWN * 784));
        } catch (IOException e) { // a picture that cannot be written is a note, as the curves are
            System.out.println("note: could not draw the generated digits into " + png + ": " + e.getMessage());
        }
        Map<String, Double> figures = new LinkedHashMap<>();
        figures.put("fid", fid);
        figures.put("top_probability", shares.meanTopProbability());
        double min = 1, max = 0;
        for (int c = 0; c < 10; c++) {
            min = Math.min(min, shares.share(c));
            max = Math.max(max, shares.share(c));
        }
        figures.put("least_digit_share", min);
        figures.put("most_digit_share", max);
        return figures;
    }
}
