package org.symphonet.simulator.report;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Hops vs n on a log axis: measured unicast hops per k beside Symphony's (1/k)·log2²n and
 * Chord's ½·log2 n reference curves.
 */
public final class HopsPlot {

    private HopsPlot() {
    }

    public static void write(List<RunResult> results, Path png) throws IOException {
        System.setProperty("java.awt.headless", "true");
        XYChart chart = new XYChartBuilder().width(900).height(600)
                .title("Symphonet simulator: unicast hops along learned paths")
                .xAxisTitle("n (nodes)").yAxisTitle("hops").build();
        chart.getStyler().setXAxisLogarithmic(true);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNW);
        chart.getStyler().setMarkerSize(7);

        Map<String, List<RunResult>> byK = new LinkedHashMap<>();
        for (RunResult r : results) {
            byK.computeIfAbsent(r.kLabel(), x -> new ArrayList<>()).add(r);
        }
        double minN = results.stream().mapToInt(RunResult::n).min().orElse(2);
        double maxN = results.stream().mapToInt(RunResult::n).max().orElse(2);
        double maxHops = 1;
        for (Map.Entry<String, List<RunResult>> e : byK.entrySet()) {
            List<RunResult> rs = e.getValue();
            double[] x = rs.stream().mapToDouble(RunResult::n).toArray();
            double[] y = rs.stream().mapToDouble(r -> r.unicast().mean()).toArray();
            for (double v : y) {
                maxHops = Math.max(maxHops, v);
            }
            XYSeries s = chart.addSeries("measured, k = " + e.getKey(), x, y);
            s.setMarker(SeriesMarkers.CIRCLE);
        }
        double[] grid = logGrid(minN, maxN, 40);
        for (String label : byK.keySet()) {
            double[] y = new double[grid.length];
            for (int i = 0; i < grid.length; i++) {
                double log2 = Math.log(grid[i]) / Math.log(2);
                double k = label.equals("log2 n") ? Math.floor(log2) : Double.parseDouble(label);
                y[i] = log2 * log2 / k;
            }
            XYSeries s = chart.addSeries("Symphony (1/k)·log2²n, k = " + label, grid, clip(y, 3 * maxHops));
            s.setMarker(SeriesMarkers.NONE);
        }
        double[] chord = new double[grid.length];
        for (int i = 0; i < grid.length; i++) {
            chord[i] = 0.5 * Math.log(grid[i]) / Math.log(2);
        }
        chart.addSeries("Chord ½·log2 n", grid, chord).setMarker(SeriesMarkers.NONE);
        chart.getStyler().setYAxisMin(0.0);
        chart.getStyler().setYAxisMax(Math.ceil(3 * maxHops));
        BitmapEncoder.saveBitmap(chart, png.toString(), BitmapEncoder.BitmapFormat.PNG);
    }

    /** The reference curve past the plot's top is left out rather than squashing the measurements. */
    private static double[] clip(double[] y, double top) {
        double[] out = y.clone();
        for (int i = 0; i < out.length; i++) {
            out[i] = Math.min(out[i], top);
        }
        return out;
    }

    private static double[] logGrid(double from, double to, int points) {
        double[] g = new double[points];
        double a = Math.log(from);
        double b = Math.log(Math.max(to, from * 1.0001));
        for (int i = 0; i < points; i++) {
            g[i] = Math.exp(a + (b - a) * i / (points - 1));
        }
        return g;
    }
}
