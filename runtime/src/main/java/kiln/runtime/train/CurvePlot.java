package kiln.runtime.train;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import kiln.runtime.io.AtomicFiles;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.CombinedDomainXYPlot;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * Draws a run's learning curves into a PNG with JFreeChart: loss per epoch, training and
 * validation, and below it accuracy when the model has one. Renders headless (no display needed).
 */
public final class CurvePlot {
    public static final int WIDTH = 900, HEIGHT = 640;
    private static final Color TRAIN = new Color(0x1f77b4), VALIDATION = new Color(0xff7f0e);

    private CurvePlot() {}

    /** Writes the PNG atomically. */
    public static void write(Path png, String title, TrainingHistory history) throws IOException {
        if (System.getProperty("java.awt.headless") == null) System.setProperty("java.awt.headless", "true");
        NumberAxis epochs = new NumberAxis("epoch");
        epochs.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
        epochs.setAutoRangeIncludesZero(false);
        CombinedDomainXYPlot plot = new CombinedDomainXYPlot(epochs);
        plot.setGap(12);
        plot.add(panel("loss", history, false), 1);
        if (history.hasAccuracy()) plot.add(panel("accuracy", history, true), 1);
        JFreeChart chart = new JFreeChart(title, JFreeChart.DEFAULT_TITLE_FONT, plot, true);
        chart.setBackgroundPaint(Color.WHITE);
        AtomicFiles.write(png, out -> ChartUtils.writeChartAsPNG(out, chart, WIDTH, HEIGHT));
    }

    private static XYPlot panel(String label, TrainingHistory history, boolean accuracy) {
        XYSeries train = new XYSeries("train " + label), validation = new XYSeries("validation " + label);
        for (EpochRecord r : history.records()) {
            add(train, r.epoch(), accuracy ? r.trainAccuracy() : r.trainLoss());
            add(validation, r.epoch(), accuracy ? r.validationAccuracy() : r.validationLoss());
        }
        XYSeriesCollection data = new XYSeriesCollection();
        data.addSeries(train);
        data.addSeries(validation);
        NumberAxis axis = new NumberAxis(label);
        axis.setAutoRangeIncludesZero(false);
        XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, true);
        renderer.setSeriesPaint(0, TRAIN);
        renderer.setSeriesPaint(1, VALIDATION);
        renderer.setSeriesStroke(0, new BasicStroke(2f));
        renderer.setSeriesStroke(1, new BasicStroke(2f));
        XYPlot plot = new XYPlot(data, null, axis, renderer);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        return plot;
    }

    private static void add(XYSeries series, int epoch, double value) {
        if (Double.isFinite(value)) series.add(epoch, value);
    }
}
