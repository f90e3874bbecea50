package io.dxpipe.evaluate;

import java.awt.Color;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.CategorySeries;
import org.knowm.xchart.HeatMapChart;
import org.knowm.xchart.HeatMapChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** PNG charts of a model evaluation: confusion heatmap, per-class recall, ROC curves, model comparison. */
public final class EvaluationPlots {
  private static final Color ORPHAN = new Color(200, 30, 30);
  private static final Color COMMON = new Color(70, 110, 170);

  static {
    System.setProperty("java.awt.headless", "true");
  }

  private EvaluationPlots() {}

  /** Row-normalised confusion matrix (share of each true class predicted as each class). */
  public static byte[] confusion(ClassificationMetrics m, String title) {
    int k = m.labels().size();
    List<String> names = m.labels();
    List<Number[]> cells = new ArrayList<>();
    for (int t = 0; t < k; t++) {
      long support = 0;
      for (long v : m.confusion()[t]) {
        support += v;
      }
      for (int p = 0; p < k; p++) {
        double share = support == 0 ? 0 : (double) m.confusion()[t][p] / support;
        cells.add(new Number[] {p, k - 1 - t, share});
      }
    }
    List<String> reversed = new ArrayList<>(names);
    java.util.Collections.reverse(reversed);
    int side = Math.max(700, 16 * k + 250);
    HeatMapChart chart = new HeatMapChartBuilder().width(side).height(side).title(title)
        .xAxisTitle("predicted").yAxisTitle("true").build();
    chart.getStyler().setChartBackgroundColor(Color.WHITE);
    chart.getStyler().setShowValue(k <= 15);
    chart.getStyler().setMin(0).setMax(1);
    chart.getStyler().setRangeColors(new Color[] {Color.WHITE, new Color(255, 220, 120), new Color(200, 40, 40)});
    chart.getStyler().setXAxisLabelRotation(90);
    chart.getStyler().setLegendVisible(true);
    chart.addSeries("share of the true class", names, reversed, cells);
    return png(chart);
  }

  /** Recall per class, lowest first, orphan diseases in red. */
  public static byte[] perClassRecall(ClassificationMetrics m, String title) {
    List<ClassificationMetrics.ClassMetrics> present = m.perClass().stream().filter(c -> c.support() > 0)
        .sorted(Comparator.comparingDouble(ClassificationMetrics.ClassMetrics::recall)).toList();
    List<String> names = present.stream().map(ClassificationMetrics.ClassMetrics::label).toList();
    CategoryChart chart = new CategoryChartBuilder().width(Math.max(900, 18 * names.size() + 200)).height(600)
        .title(title).xAxisTitle("disease (orphan in red)").yAxisTitle("recall").build();
    chart.getStyler().setChartBackgroundColor(Color.WHITE);
    chart.getStyler().setOverlapped(true);
    chart.getStyler().setXAxisLabelRotation(90);
    chart.getStyler().setYAxisMin(0.0).setYAxisMax(1.0);
    chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNW);
    chart.getStyler().setSeriesColors(new Color[] {COMMON, ORPHAN});
    List<Double> common = new ArrayList<>();
    List<Double> orphan = new ArrayList<>();
    for (ClassificationMetrics.ClassMetrics c : present) {
      common.add(c.orphan() ? 0.0 : c.recall());
      orphan.add(c.orphan() ? c.recall() : 0.0);
    }
    chart.addSeries("common", names, common);
    chart.addSeries("orphan", names, orphan);
    return png(chart);
  }

  /** One-vs-rest ROC curves: orphan classes in red, common ones in blue, the diagonal dashed. */
  public static byte[] roc(ClassificationMetrics m, String title) {
    XYChart chart = new XYChartBuilder().width(800).height(700).title(String.format(Locale.ROOT,
        "%s (macro ROC AUC %.3f)", title, m.rocAucMacro())).xAxisTitle("false positive rate")
        .yAxisTitle("true positive rate").build();
    chart.getStyler().setChartBackgroundColor(Color.WHITE);
    chart.getStyler().setLegendVisible(false);
    chart.getStyler().setXAxisMin(0.0).setXAxisMax(1.0).setYAxisMin(0.0).setYAxisMax(1.0);
    for (OneVsRestCurves.Curve curve : m.rocCurves()) {
      ClassificationMetrics.ClassMetrics c = m.perClass().get(curve.label());
      XYSeries s = chart.addSeries(c.label(), curve.falsePositiveRate(), curve.truePositiveRate());
      s.setMarker(SeriesMarkers.NONE);
      s.setLineColor(c.orphan() ? ORPHAN : new Color(70, 110, 170, 110));
    }
    XYSeries diagonal = chart.addSeries("chance", new double[] {0, 1}, new double[] {0, 1});
    diagonal.setMarker(SeriesMarkers.NONE);
    diagonal.setLineColor(Color.GRAY);
    return png(chart);
  }

  /**
   * Grouped bars: for each model (candidates, weighted and unweighted, and the baseline) the given
   * metrics. A metric no model has a figure for (orphan recall on data without orphan diseases) is
   * left out and named in the legend as not applicable; a single missing figure is drawn as 0.
   *
   * @param models model name -> metric name -> value
   */
  public static byte[] comparison(Map<String, Map<String, Double>> models, List<String> metrics, String title) {
    return comparison(models, metrics, title, "validation score");
  }

  /** As above, with the y axis named {@code yAxis}. */
  public static byte[] comparison(Map<String, Map<String, Double>> models, List<String> metrics, String title,
      String yAxis) {
    List<String> names = new ArrayList<>(models.keySet());
    CategoryChart chart = new CategoryChartBuilder().width(Math.max(900, 110 * names.size())).height(600)
        .title(title).yAxisTitle(yAxis).build();
    chart.getStyler().setChartBackgroundColor(Color.WHITE);
    chart.getStyler().setXAxisLabelRotation(30);
    chart.getStyler().setYAxisMin(0.0).setYAxisMax(1.0);
    chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
    List<String> notApplicable = new ArrayList<>();
    for (String metric : metrics) {
      List<Double> values = names.stream().map(n -> models.get(n).getOrDefault(metric, Double.NaN)).toList();
      if (values.stream().allMatch(v -> v.isNaN())) {
        notApplicable.add(metric);
        continue;
      }
      CategorySeries s = chart.addSeries(metric, names, values.stream().map(v -> v.isNaN() ? 0.0 : v).toList());
      s.setChartCategorySeriesRenderStyle(CategorySeries.CategorySeriesRenderStyle.Bar);
    }
    if (!notApplicable.isEmpty()) {
      chart.setTitle(title + " (n/a: " + String.join(", ", notApplicable) + ")");
    }
    return png(chart);
  }

  /** A chart as PNG bytes (headless AWT). */
  public static byte[] png(Chart<?, ?> chart) {
    try {
      return BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot render chart " + chart.getTitle(), e);
    }
  }
}
