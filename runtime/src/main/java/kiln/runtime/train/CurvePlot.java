package kiln.runtime.train;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
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
 * Draws a run's learning curves into a PNG with JFreeChart, one line per figure and side,
 * training solid and validation dashed in the same colour: the losses (the total, each loss term,
 * a step's own figures) in one panel, and below it the accuracies when the run has any. Renders
 * headless (no display needed).
 */
public final class CurvePlot {
    public static final int WIDTH = 900, HEIGHT = 640;
    private static final Color[] COLORS = {new Color(0x1f77b4), new Color(0xff7f0e), new Color(0x2ca02c), new Color(0xd62728),
        new Color(0x9467bd), new Color(0x8c564b), new Color(0xe377c2), new Color(0x7f7f7f)};
    private static final BasicStroke SOLID = new BasicStroke(2f),
            DASHED = new BasicStroke(2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {6f, 4f}, 0f);

    private CurvePlot() {}

    /** Writes the PNG atomically. */
    public static void write(Path png, String title, TrainingHistory history) throws IOException {
        if (System.getProperty("java.awt.headless") == null) System.setProperty("java.awt.headless", "true");
        Set<String> figures = new LinkedHashSet<>(history.trainFigures());
        figures.addAll(history.validationFigures());
        List<String> losses = new ArrayList<>(), accuracies = new ArrayList<>();
        for (String f : figures) (Monitor.isAccuracy(f) ? accuracies : losses).add(f);
        NumberAxis epochs = new NumberAxis("epoch");
        epochs.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
        epochs.setAutoRangeIncludesZero(false);
        CombinedDomainXYPlot plot = new CombinedDomainXYPlot(epochs);
        plot.setGap(12);
        plot.add(panel("loss", losses, history), 1);
        if (hasValues(accuracies, history)) plot.add(panel("accuracy", accuracies, history), 1);
        JFreeChart chart = new JFreeChart(title, JFreeChart.DEFAULT_TITLE_FONT, plot, true);
        chart.setBackgroundPaint(Color.WHITE);
        AtomicFiles.write(png, out -> ChartUtils.writeChartAsPNG(out, chart, WIDTH, HEIGHT));
    }

    private static boolean hasValues(List<String> figures, TrainingHistory history) {
        for (EpochRecord r : history.records()) {
            for (String f : figures) {
                if (Double.isFinite(r.train().getOrDefault(f, Double.NaN)) || Double.isFinite(r.validation().getOrDefault(f, Double.NaN))) return true;
            }
        }
        return false;
    }

    private static XYPlot panel(String label, List<String> figures, TrainingHistory history) {
        XYSeriesCollection data = new XYSeriesCollection();
        XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, true);
        int series = 0;
        for (int i = 0; i < figures.size(); i++) {
            String f = figures.get(i);
            XYSeries train = new XYSeries("train " + f), validation = new XYSeries("validation " + f);
            for (EpochRecord r : history.records()) {
                add(train, r.epoch(), r.train().getOrDefault(f, Double.NaN));
                add(validation, r.epoch(), r.validation().getOrDefault(f, Double.NaN));
            }
            Color color = COLORS[i % COLORS.length];
            for (XYSeries s : new XYSeries[] {train, validation}) {
                if (s.getItemCount() == 0) continue;
                data.addSeries(s);
                renderer.setSeriesPaint(series, color);
                renderer.setSeriesStroke(series, s == train ? SOLID : DASHED);
                series++;
            }
        }
        NumberAxis axis = new NumberAxis(label);
        axis.setAutoRangeIncludesZero(false);
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
