package kiln.runtime.analysis;

/** Puts AWT in headless mode, as {@code kiln.runtime.train.CurvePlot} does, unless the caller already chose: drawing needs no display. */
final class Headless {
    private Headless() {}

    static void ensure() {
        if (System.getProperty("java.awt.headless") == null) System.setProperty("java.awt.headless", "true");
    }
}
