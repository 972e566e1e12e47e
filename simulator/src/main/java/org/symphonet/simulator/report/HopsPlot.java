package org.symphonet.simulator.report;

import java.awt.Color;
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
import org.knowm.xchart.style.lines.SeriesLines;
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
        // Log hops too: the k = 1 bound reaches ~280 at 100,000 while k = log2 n stays under 10.
        chart.getStyler().setYAxisLogarithmic(true);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNW);
        chart.getStyler().setMarkerSize(7);

        Map<String, List<RunResult>> byK = new LinkedHashMap<>();
        for (RunResult r : results) {
            byK.computeIfAbsent(r.kLabel(), x -> new ArrayList<>()).add(r);
        }
        double minN = results.stream().mapToInt(RunResult::n).min().orElse(2);
        double maxN = results.stream().mapToInt(RunResult::n).max().orElse(2);
        double[] grid = logGrid(minN, maxN, 40);
        int colour = 0;
        for (Map.Entry<String, List<RunResult>> e : byK.entrySet()) {
            // Each k's measurement and its Symphony curve share a colour; the curve is dashed.
            Color c = PALETTE[colour++ % PALETTE.length];
            List<RunResult> rs = e.getValue();
            double[] x = rs.stream().mapToDouble(RunResult::n).toArray();
            double[] y = rs.stream().mapToDouble(r -> r.unicast().mean()).toArray();
            XYSeries measured = chart.addSeries("measured, k = " + e.getKey(), x, y);
            measured.setMarker(SeriesMarkers.CIRCLE);
            measured.setLineColor(c);
            measured.setMarkerColor(c);
            double[] bound = new double[grid.length];
            for (int i = 0; i < grid.length; i++) {
                double log2 = Math.log(grid[i]) / Math.log(2);
                double k = e.getKey().equals("log2 n") ? Math.floor(log2) : Double.parseDouble(e.getKey());
                bound[i] = log2 * log2 / k;
            }
            XYSeries symphony = chart.addSeries("Symphony (1/k)·log2²n, k = " + e.getKey(), grid, bound);
            symphony.setMarker(SeriesMarkers.NONE);
            symphony.setLineColor(c);
            symphony.setLineStyle(SeriesLines.DASH_DASH);
        }
        double[] chord = new double[grid.length];
        for (int i = 0; i < grid.length; i++) {
            chord[i] = 0.5 * Math.log(grid[i]) / Math.log(2);
        }
        XYSeries chordSeries = chart.addSeries("Chord ½·log2 n", grid, chord);
        chordSeries.setMarker(SeriesMarkers.NONE);
        chordSeries.setLineColor(Color.DARK_GRAY);
        chordSeries.setLineStyle(SeriesLines.DOT_DOT);
        BitmapEncoder.saveBitmap(chart, png.toString(), BitmapEncoder.BitmapFormat.PNG);
    }

    private static final Color[] PALETTE = {new Color(0x1f77b4), new Color(0xd62728), new Color(0x2ca02c),
        new Color(0x9467bd), new Color(0xff7f0e)};

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
