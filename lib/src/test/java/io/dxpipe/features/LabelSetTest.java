package io.dxpipe.features;

import static org.assertj.core.api.Assertions.assertThat;

import io.dxpipe.catalogue.DiseaseCatalogue;
import io.dxpipe.catalogue.LabelSettings;
import io.dxpipe.schema.Bronze;
import io.dxpipe.testing.SharedSpark;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/** Every silver record is counted once: trained on, unlabelled, or not trained on with its reason. */
class LabelSetTest {
  private static final DiseaseCatalogue CATALOGUE = DiseaseCatalogue.fromClasspath();

  /** 6 malaria, 2 dengue, 3 "glorbic" (not in the catalogue), 4 unmapped words, 5 without a diagnosis. */
  private static Dataset<Row> silver() {
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      rows.add(RowFactory.create("malaria", "Malaria"));
    }
    rows.add(RowFactory.create("dengue", null));
    rows.add(RowFactory.create("dengue", null));
    for (int i = 0; i < 3; i++) {
      rows.add(RowFactory.create("glorbic", "Glorbic"));
    }
    for (int i = 0; i < 4; i++) {
      rows.add(RowFactory.create(null, "a diagnosis in words nobody mapped"));
    }
    for (int i = 0; i < 5; i++) {
      rows.add(RowFactory.create(null, i % 2 == 0 ? null : " "));
    }
    return SharedSpark.session().createDataFrame(rows, new StructType().add(Bronze.DIAGNOSIS_CODE, "string")
        .add(Bronze.DIAGNOSIS_TEXT, "string"));
  }

  @Test
  void fromTheCatalogueADiagnosisOutsideItIsCountedAsSuchNotAsUnlabelled() {
    LabelSet set = LabelSet.of(silver(), CATALOGUE, new LabelSettings(LabelSettings.From.CATALOGUE, 5));
    assertThat(set.classes()).containsExactly("dengue", "malaria");
    assertThat(set.trained()).isEqualTo(8);
    assertThat(set.unlabelled()).isEqualTo(5);
    assertThat(set.notTrained()).isEqualTo(Map.of(LabelSet.UNMAPPED, 4L, LabelSet.OUTSIDE, 3L));
    assertThat(set.records()).isEqualTo(20).isEqualTo(set.trained() + set.unlabelled() + set.notTrainedRecords());
    assertThat(set.describeNotTrained()).isEqualTo("4 with a diagnosis that matched no disease (unmapped), "
        + "3 with a diagnosis code outside the catalogue");
  }

  @Test
  void fromTheDataEveryDiagnosisWithEnoughRecordsIsAClassAndSmallerOnesAreListed() {
    LabelSet set = LabelSet.of(silver(), CATALOGUE, new LabelSettings(LabelSettings.From.DATA, 3));
    assertThat(set.classes()).containsExactly("glorbic", "malaria");
    assertThat(set.tooFewClasses()).containsExactly("dengue (2)");
    assertThat(set.notTrained()).isEqualTo(Map.of(LabelSet.UNMAPPED, 4L, LabelSet.TOO_FEW, 2L));
    assertThat(set.records()).isEqualTo(20);
    assertThat(set.describeNotTrained()).endsWith("2 in a class with fewer than dxpipe.labels.min-records records: "
        + "[dengue (2)]");
  }
}
