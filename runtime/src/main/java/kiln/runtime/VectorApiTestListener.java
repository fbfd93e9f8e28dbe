package kiln.runtime;

import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

/**
 * Fails a JUnit Platform test run (Surefire, Gradle, an IDE) at its start, with
 * {@link VectorApi#MISSING}, when the test JVM lacks the Vector API module: otherwise each test
 * that touches a model fails with {@code NoClassDefFoundError: jdk/incubator/vector/Vector}.
 * Registered in {@code META-INF/services}; the launcher finds it on the test class path, and
 * nothing else loads it, so kiln-runtime needs JUnit only to compile it.
 */
public final class VectorApiTestListener implements LauncherSessionListener {
    @Override
    public void launcherSessionOpened(LauncherSession session) {
        // Maven's own JVM, which never has the module, opens a session too when Surefire discovers
        // the test classes in-process (reuseForks=false); only the JVMs that run the tests count.
        if (!VectorApi.isAvailable() && System.getProperty("maven.home") == null) {
            System.err.println(VectorApi.MISSING);
            throw new IllegalStateException(VectorApi.MISSING);
        }
    }
}
