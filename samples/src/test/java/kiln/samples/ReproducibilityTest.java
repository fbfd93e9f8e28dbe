package kiln.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import kiln.runtime.Batch;
import kiln.runtime.CompiledModel;
import kiln.runtime.Param;
import kiln.runtime.SequenceModel;
import kiln.runtime.optim.Optimizer;
import kiln.runtime.optim.Optimizers;
import kiln.samples.conv.LeNetMnistModel;
import kiln.samples.conv.ResNetFashionModel;
import kiln.samples.text.CharLstmModel;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Training is bit-identical from run to run on one thread: a few seeded steps of LeNet, the
 * ResNet (batch norm) and the character LSTM give the same parameters in a fresh JVM, where the
 * steps run interpreted and then half-compiled, as in this one once the JIT has compiled every
 * kernel. (The Vector API's own exp, tanh and lane sums change their last bits when C2 compiles
 * them, which made runs differ; see kiln.runtime.kernels.VectorMath.)
 */
class ReproducibilityTest {
    private static final int STEPS = 6;

    @ParameterizedTest
    @ValueSource(strings = {"LeNetMnist", "ResNetFashion", "CharLstm"})
    void aColdJvmTrainsToTheSameBitsAsAWarmOne(String sample) throws Exception {
        for (int i = 0; i < 3; i++) train(sample); // warm: the JIT compiles the kernels and the generated passes
        String warm = train(sample);
        String cold = inFreshJvm(sample);
        assertEquals(warm, cold, sample + ": parameters after " + STEPS + " steps, cold JVM vs warm JVM");
    }

    /** Trains {@code STEPS} steps from seed 7 on seeded random data; returns a digest of every parameter's bits. */
    static String train(String sample) throws NoSuchAlgorithmException {
        try (CompiledModel model = switch (sample) {
            case "LeNetMnist" -> new LeNetMnistModel(16, 1);
            case "ResNetFashion" -> new ResNetFashionModel(4, 1);
            default -> new CharLstmModel(4, 1);
        }) {
            model.initParams(7);
            Optimizer optimizer = Optimizers.create("adam", model.params(), 1e-3);
            Batch batch = Batch.forModel(model, model.maxBatch());
            SplittableRandom random = new SplittableRandom(11);
            boolean tokens = model instanceof SequenceModel;
            for (int step = 0; step < STEPS; step++) {
                for (int i = 0; i < batch.x.length; i++) {
                    batch.x[i] = tokens ? random.nextInt(60) : (float) random.nextDouble();
                }
                for (int i = 0; i < batch.labels.length; i++) batch.labels[i] = random.nextInt(tokens ? 60 : 10);
                batch.size = model.maxBatch();
                model.seedRandom(step);
                model.forward(batch);
                model.lossAndGrad(batch);
                model.backward();
                optimizer.step();
            }
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            for (Param p : model.params()) {
                for (float v : p.value) {
                    int bits = Float.floatToRawIntBits(v);
                    digest.update(new byte[] {(byte) bits, (byte) (bits >>> 8), (byte) (bits >>> 16), (byte) (bits >>> 24)});
                }
            }
            return HexFormat.of().formatHex(digest.digest());
        }
    }

    /** The digest from {@link #train} in a new JVM, whose first steps run before anything is compiled. */
    private static String inFreshJvm(String sample) throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java, "--add-modules", "jdk.incubator.vector", "-Xmx1g", "-cp",
                System.getProperty("java.class.path"), ReproducibilityTest.class.getName() + "$Child", sample));
        Process p = new ProcessBuilder(command).redirectErrorStream(false).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) throw new AssertionError("the child JVM failed: " + err);
        return out;
    }

    /** The child JVM's entry point: prints the digest of one cold training run. */
    public static final class Child {
        public static void main(String[] args) throws Exception {
            System.out.println(train(args[0]));
        }
    }
}
