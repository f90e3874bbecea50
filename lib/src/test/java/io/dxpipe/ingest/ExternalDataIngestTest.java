package io.dxpipe.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dxpipe.config.Environment;
import io.dxpipe.config.Settings;
import io.dxpipe.schema.Bronze;
import io.dxpipe.testing.IngestFixtures;
import io.dxpipe.testing.Repo;
import io.dxpipe.testing.SharedSpark;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real public files in ../shared/data/external, onboarded with the configuration blocks of
 * external-sources.conf only, are ingested with the expected counts.
 */
class ExternalDataIngestTest {
  @TempDir
  static Path root;
  private static IngestTotals totals;
  private static Dataset<Row> bronze;

  @BeforeAll
  static void ingestTheSharedFiles() throws Exception {
    Path external = Repo.sharedData();
    copy(external.resolve("synthea/fhir"), "synthea_fhir");
    copy(external.resolve("synthea/csv/patients.csv"), "synthea_patients");
    copy(external.resolve("synthea/csv/conditions.csv"), "synthea_conditions");
    copy(external.resolve("kaggle-disease-symptom/dataset.csv"), "kaggle_symptoms");
    Path conf = root.resolve("external.conf");
    Files.writeString(conf, "include file(\"" + Repo.root().resolve("conf/local.conf") + "\")\n"
        + "include file(\"" + Path.of(ExternalDataIngestTest.class.getResource("/external-sources.conf").toURI()) + "\")\n");
    Settings s = Settings.load(conf.toString(), List.of("storage.root=file:" + root));
    IngestSettings ingest = IngestSettings.from(s.config().dxpipe(), Environment.LOCAL);
    var st = s.storage();
    totals = new LandingIngest(SharedSpark.session(), ingest, IngestFixtures.CATALOGUE, st,
        new PrintStream(new ByteArrayOutputStream())).run();
    bronze = SharedSpark.session().read().format("delta").load(st.bronze());
  }

  private static void copy(Path from, String source) throws Exception {
    Path dir = root.resolve("landing").resolve(source).resolve("2026-11-25");
    Files.createDirectories(dir);
    try (Stream<Path> files = Files.isDirectory(from) ? Files.list(from) : Stream.of(from)) {
      for (Path f : files.toList()) {
        Files.copy(f, dir.resolve(f.getFileName()));
      }
    }
  }

  private static long lines(Path csv) throws Exception {
    try (Stream<String> l = Files.lines(csv)) {
      return l.filter(x -> !x.isBlank()).count() - 1; // minus the header
    }
  }

  private static long inBronze(String source) {
    return bronze.filter(bronze.col(Bronze.SOURCE).equalTo(source)).count();
  }

  @Test
  void nothingIsQuarantined() {
    assertThat(totals.quarantinedPerReason).isEmpty();
    assertThat(totals.unreadableFiles).isZero();
  }

  @Test
  void syntheaFhirBundlesGiveOneRecordPerEncounter() throws Exception {
    long encounters = 0;
    try (Stream<Path> files = Files.list(Repo.sharedData().resolve("synthea/fhir"))) {
      for (Path f : files.toList()) {
        for (JsonNode e : new ObjectMapper().readTree(f.toFile()).get("entry")) {
          encounters += e.at("/resource/resourceType").asText().equals("Encounter") ? 1 : 0;
        }
      }
    }
    assertThat(inBronze("synthea_fhir")).isEqualTo(encounters).isPositive();
    List<Row> rows = bronze.filter(bronze.col(Bronze.SOURCE).equalTo("synthea_fhir")).collectAsList();
    assertThat(rows).allSatisfy(r -> {
      assertThat(r.<Integer>getAs(Bronze.AGE)).isBetween(0, 120);
      assertThat(r.<String>getAs(Bronze.GENDER)).isIn("female", "male");
    });
    assertThat(rows).anyMatch(r -> r.getAs(Bronze.HEART_RATE) != null).anyMatch(r -> r.getAs(Bronze.TEMPERATURE_C) != null)
        .anyMatch(r -> r.getAs(Bronze.WEIGHT_KG) != null).anyMatch(r -> r.getAs(Bronze.DIAGNOSIS_TEXT) != null);
    assertThat(rows.stream().map(r -> r.<String>getAs(Bronze.PATIENT_KEY)).distinct().count()).isEqualTo(2);
  }

  @Test
  void syntheaCsvExportsGiveOneRecordPerRow() throws Exception {
    assertThat(inBronze("synthea_patients")).isEqualTo(lines(Repo.sharedData().resolve("synthea/csv/patients.csv")));
    assertThat(inBronze("synthea_conditions")).isEqualTo(lines(Repo.sharedData().resolve("synthea/csv/conditions.csv")));
  }

  @Test
  void theKaggleTableMapsEveryRowToACatalogueDisease() throws Exception {
    long rows = lines(Repo.sharedData().resolve("kaggle-disease-symptom/dataset.csv"));
    assertThat(rows).isEqualTo(4920);
    assertThat(inBronze("kaggle_symptoms")).isEqualTo(rows);
    Dataset<Row> kaggle = bronze.filter(bronze.col(Bronze.SOURCE).equalTo("kaggle_symptoms"));
    assertThat(kaggle.filter(kaggle.col(Bronze.DIAGNOSIS_CODE).isNull()).count()).isZero();
    assertThat(kaggle.select(Bronze.DIAGNOSIS_CODE).distinct().count()).isEqualTo(41);
    Map<String, Long> perSource = totals.bronzePerSource;
    assertThat(perSource).containsKeys("kaggle_symptoms", "synthea_fhir", "synthea_patients", "synthea_conditions");
  }
}
