package kiln.processor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * Pins the generated source of one small MLP, so that a change in emitted code is seen in review.
 * Goldens are resources named after the case; to accept a deliberate change, regenerate with
 * {@code mvn -pl processor test -Dtest=GoldenSourceTest -Dkiln.updateGoldens=true} and read the diff.
 */
class GoldenSourceTest {
    @Test
    void mlpSoftmaxCrossEntropyModel() throws IOException {
        var compilation = ModelCompiler.compile("fx.MlpSoftmaxCe", FixtureConformanceTest.MLP_SOFTMAX_CE);
        String actual = ModelCompiler.generatedSource(compilation, "fx.MlpSoftmaxCeModel");
        checkGolden("MlpSoftmaxCeModel.java.txt", actual);
    }

    private static void checkGolden(String name, String actual) throws IOException {
        if (Boolean.getBoolean("kiln.updateGoldens")) {
            Path file = Path.of("src/test/resources/golden", name);
            Files.writeString(file, actual, StandardCharsets.UTF_8);
            return;
        }
        try (InputStream in = GoldenSourceTest.class.getResourceAsStream("/golden/" + name)) {
            if (in == null) {
                fail("missing golden /golden/" + name + "; create it with: mvn -pl processor test "
                        + "-Dtest=GoldenSourceTest -Dkiln.updateGoldens=true");
            }
            assertEquals(new String(in.readAllBytes(), StandardCharsets.UTF_8), actual,
                    "generated source changed; if intended, regenerate with -Dkiln.updateGoldens=true and review the diff");
        }
    }
}
