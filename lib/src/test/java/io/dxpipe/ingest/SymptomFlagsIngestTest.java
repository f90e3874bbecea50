package io.dxpipe.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.dxpipe.config.Environment;
import io.dxpipe.config.Settings;
import io.dxpipe.schema.Bronze;
import io.dxpipe.schema.Quarantine;
import io.dxpipe.testing.IngestFixtures;
import io.dxpipe.testing.Repo;
import io.dxpipe.testing.SharedSpark;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A one-hot table (one 0/1 column per symptom, no patient, no vital signs) onboarded as the README
 * shows, through the ingest job: bronze symptoms are the flagged columns' symptoms; the same table
 * mapped with symptom-columns is an unreadable file, not a model without symptoms.
 */
class SymptomFlagsIngestTest {
  private static final SparkSession SPARK = SharedSpark.session();
  private static final String TABLE = """
      Disease,Age,high_fever,Cough,Skin Rash,Chest pain
      Malaria,34,1,0,0,0
      Common Cold,8,0,1,0,
      Chicken pox,6,1,0,1,0
      Heart attack,71,0,0,0,1
      Malaria,29,1,1,0,2
      Pneumonia,55,yes,yes,no,yes
      """;
  @TempDir
  static Path root;
  private static IngestTotals totals;
  private static Dataset<Row> bronze;
  private static Dataset<Row> quarantine;

  @BeforeAll
  static void ingestTheOneHotTable() throws Exception {
    write("onehot", TABLE);
    write("onehot_as_names", TABLE);
    Path conf = root.resolve("onehot.conf");
    Files.writeString(conf, "include file(\"" + Repo.root().resolve("conf/local.conf") + "\")\n" + """
        dxpipe.ingest.sources.onehot {
          format = csv
          fields { record-id = "#line", diagnosis = Disease, age = Age }
          required = [record-id, diagnosis]
          symptom-flags {
            all-columns-except = []                        # every other column is a symptom named by its header
            columns { "Chest pain" = chest_pain, Cough = cough }
          }
        }
        dxpipe.ingest.sources.onehot_as_names {
          format = csv
          fields { record-id = "#line", diagnosis = Disease, age = Age }
          required = [record-id, diagnosis]
          symptom-columns = [high_fever, Cough, "Skin Rash", "Chest pain"]
        }
        """);
    Settings s = Settings.load(conf.toString(), List.of("storage.root=file:" + root));
    IngestSettings ingest = IngestSettings.from(s.config().dxpipe(), Environment.LOCAL);
    totals = new LandingIngest(SPARK, ingest, IngestFixtures.CATALOGUE, s.storage(),
        new PrintStream(new ByteArrayOutputStream())).run();
    bronze = SPARK.read().format("delta").load(s.storage().bronze());
    quarantine = SPARK.read().format("delta").load(s.storage().quarantine());
  }

  private static void write(String source, String content) throws Exception {
    Path dir = root.resolve("landing").resolve(source).resolve("2026-11-25");
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("table.csv"), content);
  }

  @Test
  void bronzeSymptomsAreTheFlaggedColumnsSymptoms() {
    Map<String, List<String>> symptoms = new TreeMap<>();
    for (Row r : bronze.filter(bronze.col(Bronze.SOURCE).equalTo("onehot")).collectAsList()) {
      List<Row> s = r.getList(r.fieldIndex(Bronze.SYMPTOMS));
      symptoms.put(r.getAs(Bronze.SOURCE_RECORD_ID), s.stream().map(x -> x.<String>getAs(Bronze.SYMPTOM_NAME)).toList());
    }
    assertThat(symptoms).containsOnly(
        Map.entry("2", List.of("high_fever")),
        Map.entry("3", List.of("cough")),
        Map.entry("4", List.of("high_fever", "Skin Rash")),
        Map.entry("5", List.of("chest_pain")),
        Map.entry("7", List.of("high_fever", "cough", "chest_pain")));
  }

  @Test
  void aCellNeitherTrueNorFalseIsQuarantinedAndEveryRowIsCounted() {
    long rows = TABLE.lines().filter(l -> !l.isBlank()).count() - 1;
    long inBronze = bronze.filter(bronze.col(Bronze.SOURCE).equalTo("onehot")).count();
    List<Row> q = quarantine.filter(quarantine.col(Quarantine.SOURCE).equalTo("onehot")).collectAsList();
    assertThat(inBronze).isEqualTo(5);
    assertThat(q).singleElement().satisfies(r -> {
      assertThat(r.<String>getAs(Quarantine.REASON_CODE)).isEqualTo("MALFORMED_RECORD");
      assertThat(r.<String>getAs(Quarantine.REASON)).contains("Chest pain = '2'").contains("accepted: true [1, yes");
      assertThat(r.<Integer>getAs(Quarantine.RECORD_INDEX)).isEqualTo(6);
    });
    assertThat(totals.bronzePerSource.get("onehot") + q.size()).isEqualTo(rows);
  }

  @Test
  void theSameTableAsSymptomColumnsIsAnUnreadableFileNamingTheFix() {
    assertThat(bronze.filter(bronze.col(Bronze.SOURCE).equalTo("onehot_as_names")).count()).isZero();
    assertThat(totals.unreadableFiles).isEqualTo(1);
    List<Row> q = quarantine.filter(quarantine.col(Quarantine.SOURCE).equalTo("onehot_as_names")).collectAsList();
    assertThat(q).singleElement().satisfies(r -> {
      assertThat(r.<String>getAs(Quarantine.REASON_CODE)).isEqualTo("UNREADABLE_FILE");
      assertThat(r.<String>getAs(Quarantine.REASON)).contains("hold flag values").contains("map them with symptom-flags");
    });
  }
}
