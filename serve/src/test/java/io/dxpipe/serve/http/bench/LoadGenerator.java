package io.dxpipe.serve.http.bench;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The HTTP load generator of {@code scripts/bench-serve.sh}: a {@code main}, not a test (surefire
 * does not run it; it needs only the JDK, so {@code java -cp serve/target/test-classes} runs it).
 *
 * <p>N connections over loopback, HTTP/1.1 keep-alive, one request in flight per connection, the
 * same pre-built request bytes for every target (one body per line of a file, taken in turn). Two
 * modes:
 * <ul>
 *   <li>closed loop (no {@code --rate}): each connection sends its next request when the last one
 *       is answered; measures the most a target gives with N clients;
 *   <li>open loop ({@code --rate R}): request i is due at start + i/R, whichever connection is free
 *       takes it; latency counts from when it was due, not when it was sent, so a server that falls
 *       behind shows its queueing (no coordinated omission); requests still unsent when twice the
 *       duration has passed are dropped (the throughput then shows the server did not keep up).
 * </ul>
 * Bounded by {@code --duration} seconds and {@code --max-requests}, whichever comes first (or
 * earlier, once the file {@code --stop-file} names exists), after
 * {@code --warmup} seconds whose requests are not counted. A request fails when it gets no complete
 * response (connection error, timeout) or a status outside 2xx. With {@code --tally REGEX}, the
 * first group of the regex in each 2xx response body is counted (the model version that answered).
 *
 * <p>Prints one line {@code RESULT key=value ...} (latencies in ms) and, for failures, up to three
 * {@code ERROR} lines with the status and the start of the response body.
 *
 * <pre>
 * java -cp serve/target/test-classes io.dxpipe.serve.http.bench.LoadGenerator \
 *   --url http://127.0.0.1:8080/invocations --bodies bodies.jsonl --records 1 --connections 8 \
 *   --duration 20 --max-requests 50000 [--rate 500] [--warmup 3] [--header 'Authorization: Bearer ...'] \
 *   [--timeout-ms 30000] [--tally '"version":(\d+)'] [--label name] [--stop-file path]
 * </pre>
 */
public final class LoadGenerator {
  private final URI url;
  private final List<byte[]> requests = new ArrayList<>();
  private final int records;
  private final int connections;
  private final double durationSeconds;
  private final long maxRequests;
  private final double rate;
  private final double warmupSeconds;
  private final int timeoutMs;
  private final Pattern tally;
  private final String label;
  private final Path stopFile;
  private volatile boolean stopped;

  private LoadGenerator(Map<String, List<String>> args) throws IOException {
    url = URI.create(one(args, "url", null));
    records = Integer.parseInt(one(args, "records", "1"));
    connections = Integer.parseInt(one(args, "connections", "8"));
    durationSeconds = Double.parseDouble(one(args, "duration", "20"));
    maxRequests = Long.parseLong(one(args, "max-requests", "1000000"));
    rate = Double.parseDouble(one(args, "rate", "0"));
    warmupSeconds = Double.parseDouble(one(args, "warmup", "0"));
    timeoutMs = Integer.parseInt(one(args, "timeout-ms", "30000"));
    String t = one(args, "tally", "");
    tally = t.isEmpty() ? null : Pattern.compile(t);
    label = one(args, "label", url.getPath());
    String stop = one(args, "stop-file", "");
    stopFile = stop.isEmpty() ? null : Path.of(stop);
    String host = url.getHost() + (url.getPort() > 0 ? ":" + url.getPort() : "");
    StringBuilder headers = new StringBuilder();
    for (String h : args.getOrDefault("header", List.of())) {
      headers.append(h).append("\r\n");
    }
    String path = url.getRawPath() + (url.getRawQuery() == null ? "" : "?" + url.getRawQuery());
    for (String line : Files.readAllLines(Path.of(one(args, "bodies", null)), StandardCharsets.UTF_8)) {
      if (line.isBlank()) {
        continue;
      }
      byte[] body = line.getBytes(StandardCharsets.UTF_8);
      String head = "POST " + path + " HTTP/1.1\r\nHost: " + host + "\r\nContent-Type: application/json\r\n"
          + "Accept: application/json\r\nContent-Length: " + body.length + "\r\n" + headers + "\r\n";
      byte[] h = head.getBytes(StandardCharsets.ISO_8859_1);
      byte[] req = Arrays.copyOf(h, h.length + body.length);
      System.arraycopy(body, 0, req, h.length, body.length);
      requests.add(req);
    }
    if (requests.isEmpty()) {
      throw new IllegalArgumentException("no bodies in " + one(args, "bodies", null));
    }
  }

  private static String one(Map<String, List<String>> args, String name, String fallback) {
    List<String> v = args.get(name);
    if (v == null || v.isEmpty()) {
      if (fallback == null) {
        throw new IllegalArgumentException("--" + name + " is required");
      }
      return fallback;
    }
    return v.get(v.size() - 1);
  }

  public static void main(String[] argv) throws Exception {
    Map<String, List<String>> args = new TreeMap<>();
    for (int i = 0; i < argv.length; i++) {
      if (!argv[i].startsWith("--") || i + 1 >= argv.length) {
        System.err.println("usage: LoadGenerator --url URL --bodies FILE [--records N] [--connections N] "
            + "[--duration S] [--max-requests N] [--rate R] [--warmup S] [--header 'Name: value'] "
            + "[--timeout-ms MS] [--tally REGEX] [--label NAME] [--stop-file PATH]");
        System.exit(2);
      }
      args.computeIfAbsent(argv[i].substring(2), k -> new ArrayList<>()).add(argv[++i]);
    }
    LoadGenerator g = new LoadGenerator(args);
    if (g.stopFile != null) {
      Thread watcher = new Thread(() -> {
        while (!Files.exists(g.stopFile)) {
          sleepNanos(50_000_000);
        }
        g.stopped = true;
      }, "stop-file");
      watcher.setDaemon(true);
      watcher.start();
    }
    if (g.warmupSeconds > 0) {
      g.phase(g.warmupSeconds, Long.MAX_VALUE);
    }
    Phase p = g.phase(g.durationSeconds, g.maxRequests);
    System.out.println(p.report(g));
    for (String e : p.errorSamples) {
      System.out.println("ERROR " + e);
    }
  }

  /** What one timed run gave. */
  private static final class Phase {
    final AtomicLong tickets = new AtomicLong();
    final LongAdder ok = new LongAdder();
    final LongAdder failed = new LongAdder();
    final Map<String, LongAdder> statuses = new ConcurrentHashMap<>();
    final Map<String, LongAdder> tallies = new ConcurrentHashMap<>();
    final ConcurrentLinkedQueue<String> errorSamples = new ConcurrentLinkedQueue<>();
    final LongAdder errorSampleCount = new LongAdder();
    final List<long[]> latencies = new ArrayList<>();
    long startNanos;
    long endNanos;

    void error(String what) {
      errorSampleCount.increment();
      if (errorSampleCount.sum() <= 3) {
        errorSamples.add(what);
      }
    }

    String report(LoadGenerator g) {
      int n = 0;
      for (long[] l : latencies) {
        n += (int) l[0];
      }
      long[] all = new long[n];
      int at = 0;
      for (long[] l : latencies) {
        System.arraycopy(l, 1, all, at, (int) l[0]);
        at += (int) l[0];
      }
      Arrays.sort(all);
      double seconds = (endNanos - startNanos) / 1e9;
      long total = ok.sum() + failed.sum();
      StringBuilder s = new StringBuilder("RESULT");
      s.append(" label=").append(g.label.replace(' ', '_'));
      s.append(" connections=").append(g.connections);
      s.append(" rate=").append(g.rate > 0 ? fmt(g.rate) : "max");
      s.append(" records_per_request=").append(g.records);
      s.append(" requests=").append(total);
      s.append(" ok=").append(ok.sum());
      s.append(" failed=").append(failed.sum());
      s.append(" seconds=").append(fmt(seconds));
      s.append(" req_s=").append(fmt(ok.sum() / seconds));
      s.append(" records_s=").append(fmt(ok.sum() * (double) g.records / seconds));
      s.append(" p50_ms=").append(fmt(percentile(all, 0.50)));
      s.append(" p90_ms=").append(fmt(percentile(all, 0.90)));
      s.append(" p99_ms=").append(fmt(percentile(all, 0.99)));
      s.append(" max_ms=").append(fmt(all.length == 0 ? Double.NaN : all[all.length - 1] / 1e6));
      s.append(" statuses=").append(joined(statuses));
      if (g.tally != null) {
        s.append(" tally=").append(joined(tallies));
      }
      return s.toString();
    }

    private static String joined(Map<String, LongAdder> m) {
      StringBuilder s = new StringBuilder();
      new TreeMap<>(m).forEach((k, v) -> s.append(s.length() == 0 ? "" : ",").append(k).append(':').append(v.sum()));
      return s.length() == 0 ? "-" : s.toString();
    }

    private static double percentile(long[] sorted, double q) {
      if (sorted.length == 0) {
        return Double.NaN;
      }
      int i = (int) Math.ceil(q * sorted.length) - 1;
      return sorted[Math.max(0, Math.min(sorted.length - 1, i))] / 1e6;
    }

    private static String fmt(double v) {
      return String.format(Locale.ROOT, "%.2f", v);
    }
  }

  private Phase phase(double seconds, long max) throws InterruptedException {
    Phase p = new Phase();
    p.startNanos = System.nanoTime();
    long deadline = p.startNanos + (long) (seconds * 1e9);
    Thread[] threads = new Thread[connections];
    for (int c = 0; c < connections; c++) {
      long[] lat = new long[1 + 1024];
      final int index = c;
      p.latencies.add(lat);
      threads[c] = new Thread(() -> connection(p, index, deadline, max), "load-" + c);
    }
    for (Thread t : threads) {
      t.start();
    }
    for (Thread t : threads) {
      t.join();
    }
    p.endNanos = System.nanoTime(); // the last answers included
    return p;
  }

  private void connection(Phase p, int index, long deadline, long max) {
    long[] lat = p.latencies.get(index);
    Socket socket = null;
    InputStream in = null;
    OutputStream out = null;
    int next = index % requests.size();
    while (true) {
      long ticket = p.tickets.getAndIncrement();
      if (ticket >= max || stopped) {
        break;
      }
      long due;
      if (rate > 0) {
        due = p.startNanos + (long) (ticket * 1e9 / rate);
        if (due >= deadline || System.nanoTime() - deadline > deadline - p.startNanos) {
          break; // every request due within the duration is sent, but a server far behind is given no more than as long again
        }
        long wait = due - System.nanoTime();
        if (wait > 0) {
          sleepNanos(wait);
        }
      } else {
        due = System.nanoTime();
        if (due >= deadline) {
          break;
        }
      }
      byte[] req = requests.get(next);
      next = (next + connections) % requests.size();
      try {
        if (socket == null) {
          socket = new Socket();
          socket.setTcpNoDelay(true);
          socket.setSoTimeout(timeoutMs);
          socket.connect(new InetSocketAddress(url.getHost(), url.getPort()), timeoutMs);
          in = new BufferedInputStream(socket.getInputStream(), 65536);
          out = socket.getOutputStream();
        }
        if (rate <= 0) {
          due = System.nanoTime();
        }
        out.write(req);
        out.flush();
        Response r = read(in);
        long took = System.nanoTime() - due;
        lat = record(p, index, lat, took);
        p.statuses.computeIfAbsent(String.valueOf(r.status), k -> new LongAdder()).increment();
        if (r.status >= 200 && r.status < 300) {
          p.ok.increment();
          if (tally != null) {
            Matcher m = tally.matcher(new String(r.body, StandardCharsets.UTF_8));
            p.tallies.computeIfAbsent(m.find() ? m.group(1) : "(none)", k -> new LongAdder()).increment();
          }
        } else {
          p.failed.increment();
          p.error("status " + r.status + ": " + snippet(r.body));
        }
        if (r.close) {
          close(socket);
          socket = null;
        }
      } catch (IOException | RuntimeException e) {
        long took = System.nanoTime() - due;
        lat = record(p, index, lat, took);
        p.failed.increment();
        p.statuses.computeIfAbsent("io-error", k -> new LongAdder()).increment();
        p.error("no response: " + e);
        close(socket);
        socket = null;
      }
    }
    close(socket);
  }

  private static long[] record(Phase p, int index, long[] lat, long nanos) {
    int n = (int) lat[0];
    if (n + 1 >= lat.length) {
      lat = Arrays.copyOf(lat, lat.length * 2);
      synchronized (p.latencies) {
        p.latencies.set(index, lat);
      }
    }
    lat[n + 1] = nanos;
    lat[0] = n + 1;
    return lat;
  }

  private static void sleepNanos(long nanos) {
    try {
      Thread.sleep(nanos / 1_000_000, (int) (nanos % 1_000_000));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void close(Socket s) {
    if (s != null) {
      try {
        s.close();
      } catch (IOException ignored) {
        // closing
      }
    }
  }

  private static String snippet(byte[] body) {
    String s = new String(body, StandardCharsets.UTF_8).replaceAll("\\s+", " ");
    return s.length() > 400 ? s.substring(0, 400) + "..." : s;
  }

  private record Response(int status, byte[] body, boolean close) {}

  /** One HTTP/1.1 response: status line, headers, a body by Content-Length or chunked. */
  private static Response read(InputStream in) throws IOException {
    String status = line(in);
    if (!status.startsWith("HTTP/1.")) {
      throw new IOException("not an HTTP response: " + (status.length() > 40 ? status.substring(0, 40) : status));
    }
    int code = Integer.parseInt(status.substring(9, 12));
    long length = -1;
    boolean chunked = false;
    boolean close = status.startsWith("HTTP/1.0");
    for (String h = line(in); !h.isEmpty(); h = line(in)) {
      int colon = h.indexOf(':');
      if (colon < 0) {
        continue;
      }
      String name = h.substring(0, colon).trim().toLowerCase(Locale.ROOT);
      String value = h.substring(colon + 1).trim();
      switch (name) {
        case "content-length" -> length = Long.parseLong(value);
        case "transfer-encoding" -> chunked = value.toLowerCase(Locale.ROOT).contains("chunked");
        case "connection" -> close = value.equalsIgnoreCase("close") || (close && !value.equalsIgnoreCase("keep-alive"));
        default -> { }
      }
    }
    byte[] body;
    if (chunked) {
      ByteArrayOutputStream b = new ByteArrayOutputStream();
      while (true) {
        String size = line(in);
        int semi = size.indexOf(';');
        int n = Integer.parseInt((semi < 0 ? size : size.substring(0, semi)).trim(), 16);
        if (n == 0) {
          for (String t = line(in); !t.isEmpty(); t = line(in)) {
            // trailers
          }
          break;
        }
        b.write(in.readNBytes(n));
        line(in);
      }
      body = b.toByteArray();
    } else if (length >= 0) {
      body = in.readNBytes((int) length);
      if (body.length < length) {
        throw new EOFException("response body cut short");
      }
    } else {
      body = in.readAllBytes(); // until the server closes
      close = true;
    }
    return new Response(code, body, close);
  }

  private static String line(InputStream in) throws IOException {
    StringBuilder s = new StringBuilder();
    int c;
    while ((c = in.read()) != -1) {
      if (c == '\n') {
        int n = s.length();
        return n > 0 && s.charAt(n - 1) == '\r' ? s.substring(0, n - 1) : s.toString();
      }
      s.append((char) c);
    }
    throw new EOFException("connection closed by the server");
  }
}
