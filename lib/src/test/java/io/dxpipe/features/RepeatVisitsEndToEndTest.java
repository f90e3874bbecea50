package io.dxpipe.features;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.countDistinct;
import static org.apache.spark.sql.functions.lit;
import static org.assertj.core.api.Assertions.assertThat;

import io.dxpipe.clean.CleanStage;
import io.dxpipe.config.Settings;
import io.dxpipe.generate.GenerateSettings;
import io.dxpipe.generate.GenerationStats;
import io.dxpipe.generate.LandingGenerator;
import io.dxpipe.ingest.LandingIngest;
import io.dxpipe.schema.Bronze;
import io.dxpipe.schema.Gold;
import io.dxpipe.testing.IngestFixtures;
import io.dxpipe.testing.SharedSpark;
import io.dxpipe.testing.TestSettings;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * generate -> ingest -> clean -> features with repeat visits and no dirt: a patient's later visits
 * reach silver as more records of one person (clean merges only the same visit date) and gold
 * puts all of them in one split.
 */
class RepeatVisitsEndToEndTest {
  private static final SparkSession SPARK = SharedSpark.session();
  private static final PrintStream QUIET = new PrintStream(new ByteArrayOutputStream());

  @TempDir
  static Path root;

  @Test
  void repeatVisitorsReachGoldAsOnePersonWithSeveralRecordsInOneSplit() {
    Settings s = TestSettings.load("storage.root=file:" + root, "generate.records=400",
        "generate.repeat-visit-rate=0.3", "generate.dirty.corrupt-file-rate=0",
        "generate.dirty.missing-required-rate=0", "generate.dirty.type-mismatch-rate=0",
        "generate.dirty.impossible-value-rate=0", "generate.dirty.duplicate-same-source-rate=0",
        "generate.dirty.duplicate-cross-source-rate=0",
        // batch formats only: a few files instead of one per record keeps ingest short
        "generate.format-shares.historical.json=0", "generate.format-shares.historical.fhir=0");
    GenerationStats generated = new LandingGenerator(SPARK, IngestFixtures.CATALOGUE, GenerateSettings.from(s.config()),
        s.storage().landing()).run();
    assertThat(generated.repeatVisits).isGreaterThan(40);
    new LandingIngest(SPARK, IngestFixtures.ingestSettings(), IngestFixtures.CATALOGUE, s.storage(), QUIET).run();
    new CleanStage(SPARK, CleanStage.Options.parse(s), QUIET).run();

    Dataset<Row> silver = SPARK.read().format("delta").load(s.storage().silver());
    assertThat(silver.count()).as("every visit survives clean").isEqualTo(generated.patients);
    List<Row> perPerson = silver.groupBy(Bronze.PERSON_KEY).agg(count(lit(1)).as("visits"),
        countDistinct(col(Bronze.PATIENT_KEY)).as("patient_keys"), countDistinct(col(Bronze.VISIT_DATE)).as("dates"))
        .filter(col("visits").gt(1)).collectAsList();
    assertThat(perPerson.stream().mapToLong(r -> r.getLong(1) - 1).sum())
        .as("later visits in silver, as more records of a person").isEqualTo(generated.repeatVisits);
    assertThat(perPerson).allSatisfy(r -> {
      assertThat(r.getLong(2)).as("one patient key per person (same source and id)").isEqualTo(1);
      assertThat(r.getLong(3)).as("a visit date per visit").isEqualTo(r.getLong(1));
    });

    new FeatureStage(SPARK, FeatureStage.Options.parse(s), QUIET).run();
    Dataset<Row> gold = SPARK.read().format("delta").load(s.storage().features());
    Dataset<Row> repeatPatients = gold.groupBy(Bronze.PATIENT_KEY)
        .agg(count(lit(1)).as("records"), countDistinct(col(Bronze.DIAGNOSIS_CODE)).as("diseases"),
            countDistinct(col(Gold.SPLIT)).as("splits"))
        .filter(col("records").gt(1));
    assertThat(repeatPatients.filter(col("diseases").gt(1)).count()).as("persons with several diseases in gold")
        .isGreaterThan(20);
    assertThat(repeatPatients.filter(col("splits").gt(1)).collectAsList()).as("persons in two splits").isEmpty();
  }
}
