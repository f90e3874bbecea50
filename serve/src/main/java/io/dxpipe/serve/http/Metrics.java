package io.dxpipe.serve.http;

import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

/**
 * The service's figures in Prometheus' text format ({@code GET /metrics}): requests and errors per
 * endpoint and status, a latency histogram per endpoint, records predicted and rejected, the model
 * version served, swaps and refused models, spool rows waiting. Lock-free on the request path.
 */
final class Metrics {
  /** Histogram bucket bounds in seconds: sub-millisecond to a second. */
  private static final double[] BUCKETS = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5};

  private static final class Histogram {
    final LongAdder[] counts = new LongAdder[BUCKETS.length];
    final LongAdder count = new LongAdder();
    final java.util.concurrent.atomic.DoubleAdder sum = new java.util.concurrent.atomic.DoubleAdder();

    Histogram() {
      for (int i = 0; i < counts.length; i++) {
        counts[i] = new LongAdder();
      }
    }

    void observe(double seconds) {
      for (int i = 0; i < BUCKETS.length; i++) {
        if (seconds <= BUCKETS[i]) {
          counts[i].increment();
          break; // cumulative counts are summed when written
        }
      }
      count.increment();
      sum.add(seconds);
    }
  }

  private final Map<String, LongAdder> requests = new ConcurrentHashMap<>();
  private final Map<String, Histogram> latency = new ConcurrentHashMap<>();
  final LongAdder predicted = new LongAdder();
  final LongAdder rejected = new LongAdder();
  final LongAdder swaps = new LongAdder();
  final LongAdder refusedModels = new LongAdder();
  private final Map<String, Supplier<Number>> gauges = new ConcurrentHashMap<>();

  void request(String endpoint, int status, double seconds) {
    requests.computeIfAbsent(endpoint + "\u0000" + status, k -> new LongAdder()).increment();
    latency.computeIfAbsent(endpoint, k -> new Histogram()).observe(seconds);
  }

  /** A value read when the metrics are written (the model version, spool rows waiting). */
  void gauge(String name, Supplier<Number> value) {
    gauges.put(name, value);
  }

  String prometheus() {
    StringBuilder b = new StringBuilder(4096);
    b.append("# HELP dxpipe_serve_requests_total Requests answered, by endpoint and HTTP status.\n");
    b.append("# TYPE dxpipe_serve_requests_total counter\n");
    new TreeMap<>(requests).forEach((k, v) -> {
      String[] p = k.split("\u0000");
      b.append("dxpipe_serve_requests_total{endpoint=\"").append(p[0]).append("\",status=\"").append(p[1])
          .append("\"} ").append(v.sum()).append('\n');
    });
    b.append("# HELP dxpipe_serve_errors_total Requests answered with a 4xx or 5xx status, by endpoint.\n");
    b.append("# TYPE dxpipe_serve_errors_total counter\n");
    Map<String, Long> errors = new TreeMap<>();
    requests.forEach((k, v) -> {
      String[] p = k.split("\u0000");
      errors.merge(p[0], Integer.parseInt(p[1]) >= 400 ? v.sum() : 0L, Long::sum);
    });
    errors.forEach((e, n) -> b.append("dxpipe_serve_errors_total{endpoint=\"").append(e).append("\"} ").append(n)
        .append('\n'));
    b.append("# HELP dxpipe_serve_request_seconds Time from the request's arrival to its answer, by endpoint.\n");
    b.append("# TYPE dxpipe_serve_request_seconds histogram\n");
    new TreeMap<>(latency).forEach((endpoint, h) -> {
      long cumulative = 0;
      for (int i = 0; i < BUCKETS.length; i++) {
        cumulative += h.counts[i].sum();
        b.append("dxpipe_serve_request_seconds_bucket{endpoint=\"").append(endpoint).append("\",le=\"")
            .append(format(BUCKETS[i])).append("\"} ").append(cumulative).append('\n');
      }
      b.append("dxpipe_serve_request_seconds_bucket{endpoint=\"").append(endpoint).append("\",le=\"+Inf\"} ")
          .append(h.count.sum()).append('\n');
      b.append("dxpipe_serve_request_seconds_sum{endpoint=\"").append(endpoint).append("\"} ")
          .append(format(h.sum.sum())).append('\n');
      b.append("dxpipe_serve_request_seconds_count{endpoint=\"").append(endpoint).append("\"} ")
          .append(h.count.sum()).append('\n');
    });
    counter(b, "dxpipe_serve_records_predicted_total", "Records given a ranking.", predicted.sum());
    counter(b, "dxpipe_serve_records_rejected_total", "Records rejected as the score job rejects them.",
        rejected.sum());
    counter(b, "dxpipe_serve_model_swaps_total", "Times a new model version was swapped in.", swaps.sum());
    counter(b, "dxpipe_serve_models_refused_total", "Model versions that failed to load or failed the gate.",
        refusedModels.sum());
    new TreeMap<>(gauges).forEach((name, value) -> {
      b.append("# TYPE ").append(name).append(" gauge\n");
      b.append(name).append(' ').append(format(value.get().doubleValue())).append('\n');
    });
    return b.toString();
  }

  private static void counter(StringBuilder b, String name, String help, long value) {
    b.append("# HELP ").append(name).append(' ').append(help).append('\n');
    b.append("# TYPE ").append(name).append(" counter\n");
    b.append(name).append(' ').append(value).append('\n');
  }

  private static String format(double v) {
    return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : String.format(Locale.ROOT, "%s", v);
  }
}
