package kiln.runtime.analysis;

import java.awt.Color;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.IntStream;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYDotRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * A PNG of 2-D points coloured by class, with a legend: a VAE's 2-dimensional latent code of the
 * test set coloured by digit. Drawn with JFreeChart, headless, as {@code kiln.runtime.train.CurvePlot}
 * does; without JFreeChart on the class path, {@link #render} and {@link #write} throw a
 * {@link LinkageError}, which a caller that treats the picture as optional catches (as
 * {@code Trainer} does for the learning curves).
 *
 * <p>Each point is a {@link #DOT} x {@link #DOT} square in its class's colour, one of the ten of
 * {@link #color} (matplotlib's tab10), drawn without anti-aliasing so that the colours stay exact;
 * non-finite points are left out.
 *
 * @param title above the plot
 * @param xLabel the horizontal axis (first coordinate)
 * @param yLabel the vertical axis (second coordinate)
 * @param classNames the legend's entry per class, at most {@link #MAX_CLASSES}
 * @param width pixels
 * @param height pixels
 */
public record ScatterPlot(String title, String xLabel, String yLabel, List<String> classNames, int width, int height) {
    /** How many classes the palette tells apart. */
    public static final int MAX_CLASSES = 10;
    public static final int DEFAULT_SIZE = 800;
    /** The side of a point's square, in pixels. */
    static final int DOT = 3;
    private static final int[] TAB10 = {
        0x1f77b4, 0xff7f0e, 0x2ca02c, 0xd62728, 0x9467bd, 0x8c564b, 0xe377c2, 0x7f7f7f, 0xbcbd22, 0x17becf,
    };

    public ScatterPlot {
        if (title == null || xLabel == null || yLabel == null) throw new NullPointerException("title and axis labels");
        classNames = List.copyOf(classNames);
        if (classNames.isEmpty() || classNames.size() > MAX_CLASSES) {
            throw new IllegalArgumentException("a scatter plot tells 1 to " + MAX_CLASSES + " classes apart by colour, got " + classNames.size());
        }
        if (width < 100 || height < 100 || width > 10_000 || height > 10_000) {
            throw new IllegalArgumentException("plot size must be in [100, 10000] pixels each way, got " + width + " x " + height);
        }
    }

    /** An 800 x 800 plot of classes named "0" to "classes - 1", axes "z[0]" and "z[1]". */
    public static ScatterPlot of(String title, int classes) {
        if (classes < 1 || classes > MAX_CLASSES) {
            throw new IllegalArgumentException("a scatter plot tells 1 to " + MAX_CLASSES + " classes apart by colour, got " + classes);
        }
        return new ScatterPlot(title, "z[0]", "z[1]", IntStream.range(0, classes).mapToObj(Integer::toString).toList(),
                DEFAULT_SIZE, DEFAULT_SIZE);
    }

    /** This plot with other axis labels. */
    public ScatterPlot withAxes(String xLabel, String yLabel) {
        return new ScatterPlot(title, xLabel, yLabel, classNames, width, height);
    }

    /** This plot with other legend entries (their number is the number of classes). */
    public ScatterPlot withClassNames(List<String> classNames) {
        return new ScatterPlot(title, xLabel, yLabel, classNames, width, height);
    }

    /** This plot at another size. */
    public ScatterPlot withSize(int width, int height) {
        return new ScatterPlot(title, xLabel, yLabel, classNames, width, height);
    }

    /** The colour of class {@code c}: matplotlib's tab10. */
    public static Color color(int c) {
        return new Color(TAB10[c]);
    }

    /** Draws {@code points} [n, 2] (x then y per point) coloured by {@code labels} [n], each in [0, classes). */
    public BufferedImage render(float[] points, int[] labels) {
        JFreeChart chart = chart(points, labels);
        return chart.createBufferedImage(width, height, BufferedImage.TYPE_INT_RGB, null);
    }

    /** Renders (see {@link #render}) and writes the PNG atomically. */
    public void write(Path png, float[] points, int[] labels) throws IOException {
        PngFiles.write(png, render(points, labels));
    }

    private JFreeChart chart(float[] points, int[] labels) {
        int classes = classNames.size();
        if (points.length != 2L * labels.length) {
            throw new IllegalArgumentException(labels.length + " labels need " + 2L * labels.length + " coordinates, got " + points.length);
        }
        Headless.ensure();
        XYSeries[] series = new XYSeries[classes];
        for (int c = 0; c < classes; c++) series[c] = new XYSeries(classNames.get(c), false, true);
        for (int i = 0; i < labels.length; i++) {
            int label = labels[i];
            if (label < 0 || label >= classes) {
                throw new IllegalArgumentException("label " + label + " of point " + i + " is not a class in [0, " + classes + ")");
            }
            float x = points[2 * i], y = points[2 * i + 1];
            if (Float.isFinite(x) && Float.isFinite(y)) series[label].add(x, y, false);
        }
        XYSeriesCollection data = new XYSeriesCollection();
        for (XYSeries s : series) data.addSeries(s);

        XYDotRenderer renderer = new XYDotRenderer();
        renderer.setDotWidth(DOT);
        renderer.setDotHeight(DOT);
        renderer.setLegendShape(new Rectangle2D.Double(-5, -5, 10, 10));
        for (int c = 0; c < classes; c++) renderer.setSeriesPaint(c, color(c));
        NumberAxis xAxis = new NumberAxis(xLabel), yAxis = new NumberAxis(yLabel);
        xAxis.setAutoRangeIncludesZero(false);
        yAxis.setAutoRangeIncludesZero(false);
        XYPlot plot = new XYPlot(data, xAxis, yAxis, renderer);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        JFreeChart chart = new JFreeChart(title, JFreeChart.DEFAULT_TITLE_FONT, plot, true);
        chart.setBackgroundPaint(Color.WHITE);
        chart.setAntiAlias(false); // exact class colours; text keeps its own anti-aliasing
        chart.setTextAntiAlias(true);
        return chart;
    }
}
