package kiln.runtime;

/**
 * Whether this JVM can run Kiln: generated models and the runtime's kernels use the Vector API,
 * an incubator module that a JVM loads only when started with
 * {@code --add-modules jdk.incubator.vector}. Without it the first model class fails to load with
 * {@code NoClassDefFoundError: jdk/incubator/vector/Vector}, before any of Kiln's code runs; so the
 * generated mains call {@link #requireOrExit()} first, and test runs under the JUnit Platform are
 * checked by {@link VectorApiTestListener} before any test class loads. This class uses nothing of
 * the module itself.
 */
public final class VectorApi {
    /** The one line a JVM without the module gets. */
    public static final String MISSING = "error: Kiln needs the Vector API: run java with "
            + "--add-modules jdk.incubator.vector (and give it to Surefire's argLine)";

    private VectorApi() {}

    /** True when the module is in the boot layer, as {@code --add-modules jdk.incubator.vector} puts it. */
    public static boolean isAvailable() {
        return ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();
    }

    /** Throws {@link IllegalStateException} with {@link #MISSING} when the module is absent. */
    public static void require() {
        if (!isAvailable()) {
            throw new IllegalStateException(MISSING);
        }
    }

    /**
     * For a main: prints {@link #MISSING} on stderr and exits with status 2 (a usage error, as a
     * bad option is) when the module is absent.
     */
    public static void requireOrExit() {
        if (!isAvailable()) {
            System.err.println(MISSING);
            System.exit(2);
        }
    }
}
