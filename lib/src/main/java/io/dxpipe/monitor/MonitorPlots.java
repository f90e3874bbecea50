package io.dxpipe.monitor;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.max;

import io.dxpipe.evaluate.EvaluationPlots;
import io.dxpipe.schema.Monitoring;
import java.awt.Color;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.CategorySeries;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** The monitor's plots (PNG): the day's drift per feature, and the trend of the key figures by day. */
final class MonitorPlots {
  private MonitorPlots() {}

  /** PSI of every input feature and of the predicted classes, with each one's threshold. */
  static byte[] drift(List<Finding> findings, String title) {
    List<String> names = new ArrayList<>();
    List<Double> psi = new ArrayList<>();
    List<Double> limits = new ArrayList<>();
    for (Finding f : findings) {
      if ("psi".equals(f.metric()) && !Double.isNaN(f.value())) {
        names.add(f.feature() + (f.breached() ? " (!)" : ""));
        psi.add(f.value());
        limits.add(f.threshold() == null ? 0 : f.threshold());
      }
    }
    CategoryChart chart = new CategoryChartBuilder().width(1000).height(600).title(title)
        .yAxisTitle("population stability index").build();
    chart.getStyler().setChartBackgroundColor(Color.WHITE);
    chart.getStyler().setXAxisLabelRotation(40);
    chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
    chart.getStyler().setOverlapped(true);
    if (names.isEmpty()) {
      names.add("(no figures)");
      psi.add(0.0);
      limits.add(0.0);
    }
    CategorySeries bars = chart.addSeries("PSI against the training baseline", names, psi);
    bars.setChartCategorySeriesRenderStyle(CategorySeries.CategorySeriesRenderStyle.Bar);
    bars.setFillColor(new Color(70, 110, 170));
    CategorySeries line = chart.addSeries("threshold (retrain above)", names, limits);
    line.setChartCategorySeriesRenderStyle(CategorySeries.CategorySeriesRenderStyle.Line);
    line.setLineColor(new Color(200, 30, 30));
    line.setMarker(SeriesMarkers.NONE);
    return EvaluationPlots.png(chart);
  }

  /**
   * By day, from the monitoring table: the largest feature PSI, the predicted-class PSI, the largest
   * quality-flag share and the rejected share of each monitored day, and macro-F1 of each labelled day
   * (the latest figure known for it).
   */
  static byte[] trend(Dataset<Row> monitoring, String title) {
    Map<String, Map<java.time.LocalDate, Double>> series = new TreeMap<>();
    for (Row r : monitoring.groupBy(col(Monitoring.SCORING_DATE), col(Monitoring.CHECK),
        col(Monitoring.METRIC), col(Monitoring.FEATURE).startsWith(Monitoring.FLAG_PREFIX).as("flag"))
        .agg(max(col(Monitoring.VALUE))).collectAsList()) {
      String check = r.getString(1);
      String metric = r.getString(2);
      boolean flag = !r.isNullAt(3) && r.getBoolean(3);
      String name = null;
      if (Monitoring.FEATURE_DRIFT.equals(check) && "psi".equals(metric)) {
        name = "largest feature PSI";
      } else if (Monitoring.PREDICTION_DRIFT.equals(check)) {
        name = "predicted-class PSI";
      } else if (Monitoring.DATA_QUALITY.equals(check) && flag) {
        name = "largest quality-flag share";
      } else if (Monitoring.DATA_QUALITY.equals(check) && "rejected_share".equals(metric)) {
        name = "rejected share (score)";
      } else if (Monitoring.PERFORMANCE.equals(check) && "macro_f1".equals(metric)) {
        name = "macro-F1 (delayed labels)";
      }
      if (name != null && !r.isNullAt(4)) {
        series.computeIfAbsent(name, k -> new TreeMap<>()).merge(r.getDate(0).toLocalDate(), r.getDouble(4),
            Math::max);
      }
    }
    XYChart chart = new XYChartBuilder().width(1000).height(500).title(title).xAxisTitle("scoring date").build();
    chart.getStyler().setChartBackgroundColor(Color.WHITE);
    chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
    chart.getStyler().setDatePattern("yyyy-MM-dd");
    chart.getStyler().setXAxisLabelRotation(30);
    if (series.isEmpty()) {
      series.put("(no figures yet)", Map.of(java.time.LocalDate.now(), 0.0));
    }
    series.forEach((name, points) -> {
      List<Date> x = points.keySet().stream().map(d -> Date.from(d.atStartOfDay(java.time.ZoneOffset.UTC).toInstant()))
          .toList();
      XYSeries s = chart.addSeries(name, x, new ArrayList<>(points.values()));
      s.setMarker(SeriesMarkers.CIRCLE);
      s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
    });
    return EvaluationPlots.png(chart);
  }
}
