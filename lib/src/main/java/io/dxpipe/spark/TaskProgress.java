package io.dxpipe.spark;

import java.io.PrintStream;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerStageSubmitted;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.sql.SparkSession;

/**
 * Prints the progress of a long Spark action on the driver, every tenth of its tasks:
 * {@code [dxpipe] generate: 50/250 tasks (20%), 12.4 s}. Counts the successful task ends of the
 * stages that have exactly {@code totalTasks} tasks (the action's main stage, not the small jobs that
 * read a Delta log around it), while registered: use it around one action at a time. Close it when done.
 */
public final class TaskProgress extends SparkListener implements AutoCloseable {
  private final SparkSession spark;
  private final String label;
  private final int totalTasks;
  private final PrintStream out;
  private final long start = System.nanoTime();
  private final AtomicInteger done = new AtomicInteger();
  private final AtomicInteger lastTenth = new AtomicInteger();
  private final Set<Integer> stages = ConcurrentHashMap.newKeySet();

  public TaskProgress(SparkSession spark, String label, int totalTasks, PrintStream out) {
    this.spark = spark;
    this.label = label;
    this.totalTasks = totalTasks;
    this.out = out;
    spark.sparkContext().addSparkListener(this);
  }

  @Override
  public void onStageSubmitted(SparkListenerStageSubmitted submitted) {
    if (submitted.stageInfo().numTasks() == totalTasks) {
      stages.add(submitted.stageInfo().stageId());
    }
  }

  @Override
  public void onTaskEnd(SparkListenerTaskEnd taskEnd) {
    if (!taskEnd.taskInfo().successful() || !stages.contains(taskEnd.stageId())) {
      return;
    }
    int n = done.incrementAndGet();
    int tenth = (int) (10L * n / Math.max(1, totalTasks));
    int previous = lastTenth.get();
    if (tenth > previous && lastTenth.compareAndSet(previous, tenth)) {
      out.printf(Locale.ROOT, "[dxpipe] %s: %d/%d tasks (%d%%), %.1f s%n", label, Math.min(n, totalTasks), totalTasks,
          Math.min(100, 100L * n / Math.max(1, totalTasks)), (System.nanoTime() - start) / 1e9);
    }
  }

  @Override
  public void close() {
    spark.sparkContext().removeSparkListener(this);
  }
}
