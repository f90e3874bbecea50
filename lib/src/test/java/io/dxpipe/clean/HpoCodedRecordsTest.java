package io.dxpipe.clean;

import static org.assertj.core.api.Assertions.assertThat;

import io.dxpipe.catalogue.DiseaseCatalogue;
import io.dxpipe.catalogue.HpoOntology;
import io.dxpipe.catalogue.Symptom;
import io.dxpipe.config.Settings;
import io.dxpipe.generate.BronzeSynthesizer;
import io.dxpipe.generate.GenerateSettings;
import io.dxpipe.schema.Bronze;
import io.dxpipe.schema.Predictions;
import io.dxpipe.schema.Silver;
import io.dxpipe.serve.RowEvaluator;
import io.dxpipe.testing.Repo;
import io.dxpipe.testing.ServingFixture;
import io.dxpipe.testing.SharedSpark;
import io.dxpipe.testing.TestSettings;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.expressions.GenericRowWithSchema;
import org.junit.jupiter.api.Test;
import scala.collection.JavaConverters;

/**
 * HPO-coded records clean and score the same as their name-coded twins: generated bronze records,
 * and the same records with every symptom of the catalogue that has an HPO id written as that id
 * (every other one as an alternative id where the ontology lists one), cleaned by the Dataset rules
 * and by the row rules of the online service, and scored by a model of the train job's shape.
 */
class HpoCodedRecordsTest {
  private static final SparkSession SPARK = SharedSpark.session();

  @Test
  void hpoCodedRecordsCleanAndScoreTheSameAsTheirNameCodedTwins() {
    String obo = Repo.sharedData().resolve("hpo-orphanet/hp.obo").toString();
    Settings s = TestSettings.load("generate.mode=historical", "generate.records=800", "generate.date=2026-03-01",
        "generate.records-per-partition=800", "clean.vocabulary.hpo-ontology=\"" + obo + "\"");
    ServingFixture.Fixture fixture = ServingFixture.fit(SPARK, s);
    SilverBuilder cleaning = fixture.cleaning();
    assertThat(cleaning.symptoms().hpoSummary()).contains("hp/releases/");
    DiseaseCatalogue catalogue = DiseaseCatalogue.fromClasspath();
    Map<String, String> hpoIdByCode = new HashMap<>();
    for (Symptom symptom : catalogue.symptoms()) {
      if (symptom.hpoId() != null) {
        hpoIdByCode.put(symptom.code(), symptom.hpoId());
      }
    }
    HpoOntology ontology = HpoOntology.read(java.nio.file.Path.of(obo));

    Settings other = TestSettings.load("generate.mode=historical", "generate.records=600", "generate.date=2026-04-01",
        "generate.records-per-partition=600");
    List<Row> named = BronzeSynthesizer.records(SPARK, catalogue, GenerateSettings.from(other.config()),
        ServingFixture.KEY, "twins").collectAsList();
    List<Row> coded = new ArrayList<>();
    int[] byId = {0};
    int[] byAltId = {0};
    int recordsWithIds = 0;
    int symptomsIndex = Bronze.SCHEMA.fieldIndex(Bronze.SYMPTOMS);
    for (Row r : named) {
      List<Row> symptoms = new ArrayList<>();
      boolean changed = false;
      for (Row symptom : JavaConverters.seqAsJavaList(r.<Row>getSeq(symptomsIndex))) {
        String name = symptom.getString(0);
        SymptomVocabulary.Resolution resolved = cleaning.symptoms().resolve(name);
        String id = resolved.flag() == null ? hpoIdByCode.get(resolved.code()) : null;
        if (id != null) {
          List<String> alt = ontology.term(id).map(HpoOntology.Term::altIds).orElse(List.of());
          if (!alt.isEmpty() && (byId[0] + byAltId[0]) % 2 == 1) {
            name = alt.get(0);
            byAltId[0]++;
          } else {
            name = id;
            byId[0]++;
          }
          changed = true;
        }
        symptoms.add(new GenericRowWithSchema(new Object[] {name, symptom.get(1)}, Bronze.SYMPTOM));
      }
      recordsWithIds += changed ? 1 : 0;
      Object[] values = new Object[r.size()];
      for (int i = 0; i < values.length; i++) {
        values[i] = i == symptomsIndex ? JavaConverters.asScalaBuffer(symptoms).toList() : r.get(i);
      }
      coded.add(new GenericRowWithSchema(values, Bronze.SCHEMA));
    }
    // the twins differ where it matters: many records and symptoms are written as HPO ids
    assertThat(recordsWithIds).as("records with HPO-coded symptoms").isGreaterThan(40);
    assertThat(byId[0]).as("symptoms written as their HPO id").isGreaterThan(60);
    assertThat(byAltId[0]).as("symptoms written as an alternative id").isGreaterThan(0);

    Dataset<Row> namedSilver = cleaning.clean(SPARK.createDataFrame(named, Bronze.SCHEMA)).cache();
    Dataset<Row> codedSilver = cleaning.clean(SPARK.createDataFrame(coded, Bronze.SCHEMA)).cache();
    Map<String, Row> namedByKey = byKey(namedSilver.collectAsList());
    Map<String, Row> codedByKey = byKey(codedSilver.collectAsList());
    assertThat(codedByKey.keySet()).isEqualTo(namedByKey.keySet());
    for (Map.Entry<String, Row> e : namedByKey.entrySet()) {
      Row want = e.getValue();
      Row got = codedByKey.get(e.getKey());
      assertThat(symptoms(got)).as("symptoms of %s", e.getKey()).isEqualTo(symptoms(want));
      assertThat(got.getList(got.fieldIndex(Silver.QUALITY_FLAGS))).as("flags of %s", e.getKey())
          .isEqualTo(want.getList(want.fieldIndex(Silver.QUALITY_FLAGS)));
    }
    // the online service's row rules give the twins the same symptoms
    for (Row r : coded) {
      Map<String, Object> row = cleaning.clean(RowEvaluator.toMap(r));
      String key = (String) row.get(Bronze.RECORD_KEY);
      assertThat(symptoms(row.get(Bronze.SYMPTOMS))).as("row-path symptoms of %s", key)
          .isEqualTo(symptoms(namedByKey.get(key)));
    }

    Map<String, List<Object>> namedScores = scores(fixture, namedSilver);
    Map<String, List<Object>> codedScores = scores(fixture, codedSilver);
    assertThat(codedScores).hasSize(named.size()).isEqualTo(namedScores);
    namedSilver.unpersist();
    codedSilver.unpersist();
  }

  private static Map<String, List<Object>> scores(ServingFixture.Fixture fixture, Dataset<Row> silver) {
    Map<String, List<Object>> out = new HashMap<>();
    for (Row r : fixture.model().transform(silver)
        .select(Bronze.RECORD_KEY, Predictions.PREDICTED_CODE, Predictions.PROBABILITY).collectAsList()) {
      out.put(r.getString(0), List.of(r.getString(1), r.get(2).toString()));
    }
    return out;
  }

  private static Map<String, Row> byKey(List<Row> rows) {
    Map<String, Row> out = new HashMap<>();
    rows.forEach(r -> out.put(r.getString(r.fieldIndex(Bronze.RECORD_KEY)), r));
    return out;
  }

  private static List<List<Object>> symptoms(Row silver) {
    return symptoms(silver.get(silver.fieldIndex(Bronze.SYMPTOMS)));
  }

  /** name/severity pairs of a symptoms column, from the Dataset (a Seq of rows) or the row rules (a list of rows). */
  private static List<List<Object>> symptoms(Object column) {
    List<?> list = column instanceof scala.collection.Seq<?> seq ? JavaConverters.seqAsJavaList(seq) : (List<?>) column;
    List<List<Object>> out = new ArrayList<>();
    for (Object o : list) {
      Row r = (Row) o;
      out.add(java.util.Arrays.asList(r.get(0), r.get(1)));
    }
    return out;
  }
}
