package io.dxpipe.serve.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dxpipe.testing.Repo;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

/**
 * A real headless Chromium (Debian's package, installed by {@code scripts/chromium.sh}) driven over
 * the Chrome DevTools Protocol with Java's own WebSocket client: no WebDriver and no dependency.
 * One page; commands wait for their answer; the page's log entries, console errors and uncaught
 * exceptions are kept so a test can assert there were none (a Content-Security-Policy violation
 * shows as a log entry). Input goes through {@code Input.*}, as a person's keyboard and mouse would.
 */
final class HeadlessChromium implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(30);

  private final Process process;
  private final Path log;
  private final WebSocket socket;
  private final AtomicInteger ids = new AtomicInteger();
  private final Map<Integer, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
  private final List<JsonNode> problems = new ArrayList<>();

  /**
   * The Chromium binary {@code scripts/chromium.sh path} gives, installing Debian's package when it
   * is missing. Fails (never skips) when it cannot: CI installs it through the same script.
   */
  static String binary() throws IOException, InterruptedException {
    Path root = Repo.root();
    Path script = root.resolve("scripts/chromium.sh");
    Path err = Files.createTempFile("chromium-sh", ".log");
    Process p = new ProcessBuilder("bash", script.toString(), "path").directory(root.toFile())
        .redirectError(err.toFile()).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    if (!p.waitFor(15, TimeUnit.MINUTES)) {
      p.destroyForcibly();
      throw new AssertionError("scripts/chromium.sh path did not finish in 15 minutes");
    }
    String messages = Files.readString(err);
    Files.deleteIfExists(err);
    if (p.exitValue() != 0 || out.isEmpty() || !Files.isExecutable(Path.of(out.lines().reduce((a, b) -> b).orElse("")))) {
      throw new AssertionError("Chromium is needed for the web form's browser test and scripts/chromium.sh could not "
          + "provide it (exit " + p.exitValue() + "): install Debian's 'chromium' package (apt-get install chromium) "
          + "or set CHROMIUM=<binary>.\n" + messages);
    }
    return out.lines().reduce((a, b) -> b).orElseThrow();
  }

  /** Starts Chromium headless with its profile in {@code dir} and attaches to its first page. */
  static HeadlessChromium start(Path dir, int width, int height) throws IOException, InterruptedException {
    String binary = binary();
    Path profile = Files.createDirectories(dir.resolve("profile"));
    Path log = dir.resolve("chromium.log");
    Process process = new ProcessBuilder(binary, "--headless=new", "--no-sandbox", "--disable-gpu",
        "--disable-dev-shm-usage", "--user-data-dir=" + profile, "--remote-debugging-address=127.0.0.1",
        "--remote-debugging-port=0", "--no-first-run", "--no-default-browser-check", "--disable-extensions",
        "--disable-background-networking", "--disable-sync", "--disable-component-update", "--lang=en-US",
        "--window-size=" + width + "," + height, "about:blank")
        .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    try {
      return new HeadlessChromium(process, profile, log);
    } catch (IOException | InterruptedException | RuntimeException | Error e) {
      kill(process);
      throw e;
    }
  }

  private HeadlessChromium(Process process, Path profile, Path log) throws IOException, InterruptedException {
    this.process = process;
    this.log = log;
    Path portFile = profile.resolve("DevToolsActivePort");
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!Files.exists(portFile) || Files.readAllLines(portFile).size() < 2) {
      if (!process.isAlive()) {
        throw new AssertionError("Chromium exited with " + process.exitValue() + " before it opened its DevTools port:\n"
            + Files.readString(log));
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("Chromium opened no DevTools port in 30 s:\n" + Files.readString(log));
      }
      Thread.sleep(100);
    }
    int port = Integer.parseInt(Files.readAllLines(portFile).get(0).trim());
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    String page = null;
    for (int i = 0; i < 50 && page == null; i++) {
      HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/json/list"))
          .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
      for (JsonNode t : JSON.readTree(r.body())) {
        if ("page".equals(t.path("type").asText()) && t.has("webSocketDebuggerUrl")) {
          page = t.get("webSocketDebuggerUrl").asText();
          break;
        }
      }
      if (page == null) {
        Thread.sleep(100);
      }
    }
    if (page == null) {
      throw new AssertionError("Chromium has no page target on DevTools port " + port);
    }
    this.socket = http.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5))
        .buildAsync(URI.create(page), new Listener()).join();
    send("Page.enable", Map.of());
    send("Runtime.enable", Map.of());
    send("Log.enable", Map.of());
  }

  private final class Listener implements WebSocket.Listener {
    private final StringBuilder message = new StringBuilder();

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
      message.append(data);
      if (last) {
        String text = message.toString();
        message.setLength(0);
        receive(text);
      }
      webSocket.request(1);
      return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
      pending.values().forEach(f -> f.completeExceptionally(error));
    }
  }

  private void receive(String text) {
    JsonNode m;
    try {
      m = JSON.readTree(text);
    } catch (IOException e) {
      return;
    }
    if (m.has("id")) {
      CompletableFuture<JsonNode> f = pending.remove(m.get("id").asInt());
      if (f != null) {
        f.complete(m);
      }
      return;
    }
    String method = m.path("method").asText();
    JsonNode params = m.path("params");
    boolean problem = method.equals("Runtime.exceptionThrown")
        || method.equals("Log.entryAdded") && params.path("entry").path("level").asText().equals("error")
        || method.equals("Runtime.consoleAPICalled") && params.path("type").asText().equals("error");
    if (problem) {
      synchronized (problems) {
        problems.add(m);
      }
    }
  }

  /** Sends a DevTools command and returns its result; a protocol error fails. */
  JsonNode send(String method, Map<String, ?> params) {
    int id = ids.incrementAndGet();
    CompletableFuture<JsonNode> answer = new CompletableFuture<>();
    pending.put(id, answer);
    ObjectNode m = JSON.createObjectNode();
    m.put("id", id);
    m.put("method", method);
    m.set("params", JSON.valueToTree(params));
    socket.sendText(m.toString(), true).join();
    JsonNode r;
    try {
      r = answer.get(COMMAND_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      throw new AssertionError("Chromium did not answer " + method + " in " + COMMAND_TIMEOUT.toSeconds() + " s");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } catch (java.util.concurrent.ExecutionException e) {
      throw new IllegalStateException("DevTools connection failed during " + method, e.getCause());
    } finally {
      pending.remove(id);
    }
    if (r.has("error")) {
      throw new AssertionError("DevTools " + method + " failed: " + r.get("error"));
    }
    return r.path("result");
  }

  /** Evaluates a JavaScript expression in the page (promises awaited) and returns its value as JSON. */
  JsonNode eval(String expression) {
    JsonNode r = send("Runtime.evaluate", Map.of("expression", expression, "returnByValue", true,
        "awaitPromise", true));
    if (r.has("exceptionDetails")) {
      throw new AssertionError("script failed in the page: " + r.get("exceptionDetails") + "\n" + expression);
    }
    return r.path("result").path("value");
  }

  /** Loads a URL and waits until its document and deferred scripts have run. */
  void navigate(String url) {
    JsonNode r = send("Page.navigate", Map.of("url", url));
    if (r.hasNonNull("errorText") && !r.get("errorText").asText().isEmpty()) {
      throw new AssertionError("Chromium could not load " + url + ": " + r.get("errorText").asText());
    }
    waitFor("page " + url + " loaded", () -> eval("document.readyState === 'complete'").asBoolean());
  }

  /** Polls a condition every 50 ms for up to {@code seconds}. */
  void waitFor(String what, BooleanSupplier condition, int seconds) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out after " + seconds + " s waiting for " + what);
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
  }

  void waitFor(String what, BooleanSupplier condition) {
    waitFor(what, condition, 20);
  }

  /** Waits until the JavaScript condition is true. */
  void waitFor(String jsCondition) {
    waitFor(jsCondition, () -> eval("Boolean(" + jsCondition + ")").asBoolean());
  }

  /** A mouse click (press and release of the left button) in the middle of the element, scrolled into view. */
  void click(String selector) {
    JsonNode box = eval("(() => { const e = document.querySelector(" + js(selector) + ");"
        + " if (!e) { return null; } e.scrollIntoView({block: 'center'}); const r = e.getBoundingClientRect();"
        + " return {x: r.left + r.width / 2, y: r.top + r.height / 2, w: r.width, h: r.height}; })()");
    if (box.isNull() || box.isMissingNode()) {
      throw new AssertionError("no element " + selector + " to click");
    }
    if (box.get("w").asDouble() <= 0 || box.get("h").asDouble() <= 0) {
      throw new AssertionError("element " + selector + " is not visible, cannot click it");
    }
    double x = box.get("x").asDouble();
    double y = box.get("y").asDouble();
    send("Input.dispatchMouseEvent", Map.of("type", "mouseMoved", "x", x, "y", y));
    send("Input.dispatchMouseEvent", Map.of("type", "mousePressed", "x", x, "y", y, "button", "left", "clickCount", 1));
    send("Input.dispatchMouseEvent", Map.of("type", "mouseReleased", "x", x, "y", y, "button", "left", "clickCount", 1));
  }

  /** Types text into the focused element, as a keyboard's input (input events fire). */
  void type(String text) {
    send("Input.insertText", Map.of("text", text));
  }

  /** Clicks the element, then types into it. */
  void typeInto(String selector, String text) {
    click(selector);
    String focused = eval("document.activeElement === document.querySelector(" + js(selector) + ")").asText();
    if (!"true".equals(focused)) {
      throw new AssertionError("clicking " + selector + " did not focus it");
    }
    type(text);
  }

  /** Presses and releases Enter in the focused element. */
  void pressEnter() {
    send("Input.dispatchKeyEvent", Map.of("type", "keyDown", "key", "Enter", "code", "Enter",
        "windowsVirtualKeyCode", 13, "nativeVirtualKeyCode", 13, "text", "\r"));
    send("Input.dispatchKeyEvent", Map.of("type", "keyUp", "key", "Enter", "code", "Enter",
        "windowsVirtualKeyCode", 13, "nativeVirtualKeyCode", 13));
  }

  /** Presses and releases Backspace in the focused element (deletes a selection). */
  void pressBackspace() {
    send("Input.dispatchKeyEvent", Map.of("type", "keyDown", "key", "Backspace", "code", "Backspace",
        "windowsVirtualKeyCode", 8, "nativeVirtualKeyCode", 8));
    send("Input.dispatchKeyEvent", Map.of("type", "keyUp", "key", "Backspace", "code", "Backspace",
        "windowsVirtualKeyCode", 8, "nativeVirtualKeyCode", 8));
  }

  /** Picks an option of a select box by its value (as choosing it would: focus, value, input and change events). */
  void select(String selector, String value) {
    JsonNode ok = eval("(() => { const s = document.querySelector(" + js(selector) + ");"
        + " if (!s || !Array.from(s.options).some(o => o.value === " + js(value) + ")) { return false; }"
        + " s.focus(); s.value = " + js(value) + "; s.dispatchEvent(new Event('input', {bubbles: true}));"
        + " s.dispatchEvent(new Event('change', {bubbles: true})); return true; })()");
    if (!ok.asBoolean()) {
      throw new AssertionError("no option '" + value + "' in " + selector);
    }
  }

  /** The element's text content (trimmed), or null when there is no such element. */
  String text(String selector) {
    JsonNode t = eval("(() => { const e = document.querySelector(" + js(selector) + ");"
        + " return e ? e.textContent.trim() : null; })()");
    return t.isNull() || t.isMissingNode() ? null : t.asText();
  }

  /** A PNG of the whole page (beyond the viewport) written to {@code file}. */
  void screenshot(Path file) throws IOException {
    JsonNode metrics = send("Page.getLayoutMetrics", Map.of());
    JsonNode size = metrics.has("cssContentSize") ? metrics.get("cssContentSize") : metrics.get("contentSize");
    Map<String, Object> clip = Map.of("x", 0, "y", 0, "width", Math.ceil(size.get("width").asDouble()),
        "height", Math.ceil(size.get("height").asDouble()), "scale", 1);
    JsonNode r = send("Page.captureScreenshot", Map.of("format", "png", "captureBeyondViewport", true, "clip", clip));
    Files.createDirectories(file.toAbsolutePath().getParent());
    Files.write(file, Base64.getDecoder().decode(r.get("data").asText()));
  }

  /** The page's error log entries, console errors and uncaught exceptions so far. */
  List<JsonNode> problems() {
    synchronized (problems) {
      return List.copyOf(problems);
    }
  }

  String log() {
    try {
      return Files.readString(log);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A string as a JavaScript literal. */
  static String js(String s) {
    try {
      return JSON.writeValueAsString(s);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void kill(Process p) {
    p.descendants().forEach(ProcessHandle::destroyForcibly);
    p.destroyForcibly();
    try {
      p.waitFor(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    try {
      socket.abort();
    } finally {
      kill(process);
    }
  }
}
