package io.dxpipe.features;

import java.awt.BasicStroke;
import java.awt.Color;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** PNG charts of the feature reports (headless AWT, no display needed). */
public final class Plots {
  private Plots() {}

  static {
    System.setProperty("java.awt.headless", "true");
  }

  /** Explained variance per component and cumulative, with the target and the chosen number of components. */
  public static byte[] explainedVariance(FeaturePipeline.PcaSelection pca) {
    double[] v = pca.explainedVariance();
    double[] x = new double[v.length];
    double[] cumulative = new double[v.length];
    double sum = 0;
    for (int i = 0; i < v.length; i++) {
      x[i] = i + 1;
      sum += v[i];
      cumulative[i] = sum;
    }
    XYChart chart = new XYChartBuilder().width(900).height(520)
        .title(String.format(java.util.Locale.ROOT, "PCA: %d of %d dimensions keep %.1f%% of the variance (target %.0f%%)",
            pca.components(), pca.inputDimension(), 100 * pca.kept(), 100 * pca.varianceToKeep()))
        .xAxisTitle("principal component").yAxisTitle("share of variance").build();
    chart.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.InsideSE);
    chart.getStyler().setYAxisMin(0.0).setYAxisMax(1.0);
    chart.getStyler().setChartBackgroundColor(Color.WHITE);
    XYSeries per = chart.addSeries("per component", x, v);
    per.setMarker(SeriesMarkers.NONE);
    XYSeries cum = chart.addSeries("cumulative", x, cumulative);
    cum.setMarker(SeriesMarkers.NONE);
    XYSeries target = chart.addSeries("target", new double[] {1, v.length},
        new double[] {pca.varianceToKeep(), pca.varianceToKeep()});
    target.setMarker(SeriesMarkers.NONE);
    target.setLineStyle(new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {6f, 4f}, 0));
    XYSeries chosen = chart.addSeries("components kept", new double[] {pca.components(), pca.components()},
        new double[] {0, 1});
    chosen.setMarker(SeriesMarkers.NONE);
    return io.dxpipe.evaluate.EvaluationPlots.png(chart);
  }

}
