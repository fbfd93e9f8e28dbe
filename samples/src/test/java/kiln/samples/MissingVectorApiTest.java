package kiln.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import kiln.runtime.VectorApi;
import kiln.samples.mnist.MnistMlpMain;
import org.junit.jupiter.api.Test;

/**
 * A generated main started in a JVM without {@code --add-modules jdk.incubator.vector} prints one
 * line that says so and exits with status 2, instead of dying with
 * {@code NoClassDefFoundError: jdk/incubator/vector/Vector} when the model class loads.
 */
class MissingVectorApiTest {
    @Test
    void generatedMainWithoutTheVectorModuleSaysWhatToAdd() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        Process p = new ProcessBuilder(java, "-cp", classPath, MnistMlpMain.class.getName(), "--epochs", "1")
                .redirectErrorStream(true)
                .start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(60, TimeUnit.SECONDS);
        assertEquals(VectorApi.MISSING + System.lineSeparator(), output);
        assertEquals(2, p.exitValue());
    }
}
