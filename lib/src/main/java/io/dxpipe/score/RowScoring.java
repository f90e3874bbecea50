package io.dxpipe.score;

import io.dxpipe.schema.Bronze;
import io.dxpipe.schema.Predictions;
import io.dxpipe.serve.RowEvaluator;
import java.io.Serializable;
import java.sql.Date;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.TreeMap;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.util.CollectionAccumulator;

/**
 * The score job's one pass over the cleaned records ({@code dxpipe.score.engine = row}): each
 * record is either rejected (the rule of {@link ScoreStage#rejectionCode}) or ranked by the
 * {@link RowEvaluator}, compiled once on the driver and broadcast (one copy per executor), and becomes a row of
 * the predictions table. No vector column, no probability of every class, no second read.
 *
 * <p>What the pass saw goes back to the driver through an accumulator, one {@link PartitionStats}
 * per task: the records read, scored and rejected, the orphan figures, and the rejected records
 * themselves up to a cap. The driver keeps one entry per partition, so a re-run task (a retried or
 * speculative attempt, a re-computed stage) is not counted twice.
 */
final class RowScoring implements MapPartitionsFunction<Row, Row> {
  private static final long serialVersionUID = 1L;

  /** One rejected record: key, source, patient key, reason code, reason. */
  record Rejected(String recordKey, String source, String patientKey, String code, String reason)
      implements Serializable {}

  /** What one task's pass saw. {@code rejects} holds at most the cap; {@code rejected} counts them all. */
  record PartitionStats(int partition, long read, long scored, long rejected, long orphan, long orphanInTop3,
      List<Rejected> rejects) implements Serializable {
    boolean complete() {
      return rejects.size() == rejected;
    }
  }

  /** The partitions' figures, one attempt per partition. */
  record Totals(long read, long scored, long rejected, long orphan, long orphanInTop3, boolean allRejectsKept,
      List<Rejected> rejects, Map<String, Long> rejectedPerReason) {
    static Totals of(Collection<PartitionStats> attempts) {
      Map<Integer, PartitionStats> once = new TreeMap<>();
      for (PartitionStats s : attempts) {
        once.putIfAbsent(s.partition(), s);
      }
      long read = 0;
      long scored = 0;
      long rejected = 0;
      long orphan = 0;
      long orphanTop3 = 0;
      boolean all = true;
      List<Rejected> rejects = new ArrayList<>();
      Map<String, Long> perReason = new TreeMap<>();
      for (PartitionStats s : once.values()) {
        read += s.read();
        scored += s.scored();
        rejected += s.rejected();
        orphan += s.orphan();
        orphanTop3 += s.orphanInTop3();
        all &= s.complete();
        rejects.addAll(s.rejects());
      }
      for (Rejected r : rejects) {
        perReason.merge(r.code(), 1L, Long::sum);
      }
      return new Totals(read, scored, rejected, orphan, orphanTop3, all, rejects, perReason);
    }
  }

  private final Broadcast<RowEvaluator> model;
  private final String[] labels;
  private final boolean[] orphan;
  private final Set<String> orphanCodes;
  private final Set<String> vocabulary;
  private final int minKnown;
  private final int topK;
  private final String describe;
  private final Object[] constants; // model name, version, run, uri, score run, scored at, scoring date
  private final int rejectsPerTask;
  private final CollectionAccumulator<PartitionStats> stats;

  RowScoring(Broadcast<RowEvaluator> model, ScoringModel scoring, Set<String> orphanCodes, int minKnown, int topK,
      String runId, Timestamp scoredAt, Date scoringDate, int rejectsPerTask, CollectionAccumulator<PartitionStats> stats) {
    this.model = model;
    this.labels = scoring.labels().toArray(String[]::new);
    this.orphan = new boolean[labels.length];
    for (int i = 0; i < labels.length; i++) {
      orphan[i] = orphanCodes.contains(labels[i]);
    }
    this.orphanCodes = new HashSet<>(orphanCodes);
    this.vocabulary = new HashSet<>(scoring.symptomVocabulary());
    this.minKnown = minKnown;
    this.topK = Math.max(3, topK);
    this.describe = scoring.describe();
    this.constants = new Object[] {scoring.name(), scoring.version(), scoring.runId(), scoring.uri(), runId, scoredAt,
        scoringDate};
    this.rejectsPerTask = rejectsPerTask;
    this.stats = stats;
  }

  @Override
  public Iterator<Row> call(Iterator<Row> records) {
    RowEvaluator evaluator = model.value(); // one instance per executor JVM: Spark caches a broadcast value
    TaskContext task = TaskContext.get();
    int partition = task == null ? -1 : task.partitionId();
    return new Iterator<>() {
      private Row next;
      private long read;
      private long scored;
      private long rejected;
      private long orphans;
      private long orphansInTop3;
      private final List<Rejected> rejects = new ArrayList<>();
      private boolean reported;

      @Override
      public boolean hasNext() {
        while (next == null && records.hasNext()) {
          next = score(records.next());
        }
        if (next == null && !reported) {
          reported = true;
          stats.add(new PartitionStats(partition, read, scored, rejected, orphans, orphansInTop3, List.copyOf(rejects)));
        }
        return next != null;
      }

      @Override
      public Row next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        Row r = next;
        next = null;
        return r;
      }

      private Row score(Row record) {
        read++;
        List<String> names = symptomNames(record);
        String code = ScoreStage.rejectionCode(names, vocabulary, minKnown);
        if (code != null) {
          rejected++;
          if (rejects.size() < rejectsPerTask) {
            rejects.add(new Rejected(record.getAs(Bronze.RECORD_KEY), record.getAs(Bronze.SOURCE),
                record.getAs(Bronze.PATIENT_KEY), code, ScoreStage.rejectionReason(code, names, minKnown, describe)));
          }
          return null;
        }
        RowEvaluator.Top top = evaluator.top(record, topK);
        List<Row> ranked = new ArrayList<>(top.classes().length);
        boolean orphanInTop3 = false;
        for (int i = 0; i < top.classes().length; i++) {
          int c = top.classes()[i];
          ranked.add(RowFactory.create(labels[c], top.probabilities()[i], orphan[c]));
          orphanInTop3 |= i < 3 && orphan[c];
        }
        // the predicted code is the top class but for ties of probability: its flag then, without a lookup
        String predicted = top.predictedCode();
        boolean predictedOrphan = top.classes().length > 0 && predicted.equals(labels[top.classes()[0]])
            ? orphan[top.classes()[0]] : orphanCodes.contains(predicted);
        scored++;
        orphans += predictedOrphan ? 1 : 0;
        orphansInTop3 += orphanInTop3 ? 1 : 0;
        return RowFactory.create(record.getAs(Bronze.RECORD_KEY), record.getAs(Bronze.PATIENT_KEY),
            record.getAs(Bronze.SOURCE), record.getAs(Bronze.VISIT_DATE), top.predictedCode(),
            ranked.isEmpty() ? null : top.probabilities()[0], ranked.subList(0, Math.min(3, ranked.size())).toArray(),
            predictedOrphan, orphanInTop3, ranked.toArray(), constants[0], constants[1], constants[2], constants[3],
            constants[4], constants[5], constants[6]);
      }
    };
  }

  /** The cleaned record's symptom names, in order (none for a null array). */
  static List<String> symptomNames(Row record) {
    Object symptoms = record.getAs(Bronze.SYMPTOMS);
    if (symptoms == null) {
      return List.of();
    }
    List<?> list = symptoms instanceof scala.collection.Seq<?> seq ? scala.collection.JavaConverters.seqAsJavaList(seq)
        : (List<?>) symptoms;
    List<String> names = new ArrayList<>(list.size());
    for (Object s : list) {
      names.add(s == null ? null : ((Row) s).getAs(Bronze.SYMPTOM_NAME));
    }
    return names;
  }

  /** The schema of the pass's rows: the predictions table's. */
  static org.apache.spark.sql.types.StructType schema() {
    return Predictions.SCHEMA;
  }
}
