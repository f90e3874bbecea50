package io.dxpipe.train;

import static org.assertj.core.api.Assertions.assertThat;

import io.dxpipe.catalogue.DiseaseCatalogue;
import io.dxpipe.clean.CleanSettings;
import io.dxpipe.clean.SilverBuilder;
import io.dxpipe.io.StorageFiles;
import io.dxpipe.model.ModelLayout;
import io.dxpipe.monitor.Profile;
import io.dxpipe.schema.Bronze;
import io.dxpipe.schema.Gold;
import io.dxpipe.schema.Predictions;
import io.dxpipe.testing.BronzeRecords;
import io.dxpipe.testing.MemoryTracking;
import io.dxpipe.testing.SharedSpark;
import io.dxpipe.testing.TestSettings;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.feature.SQLTransformer;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MonitoringBaselineTest {
  @Test
  void theBaselineIsThePopulationLearntFromWrittenBesideTheModelAndLogged(@TempDir Path dir) {
    // 10 silver records, ages 20..110; the 3 oldest are test records
    List<BronzeRecords> bronze = new ArrayList<>();
    List<Row> split = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      bronze.add(BronzeRecords.record("r" + i).with(Bronze.AGE, 20 + 10 * i));
      split.add(RowFactory.create("r" + i, i >= 7 ? Gold.TEST : i % 2 == 0 ? Gold.TRAIN : Gold.VALIDATION));
    }
    Dataset<Row> silver = SilverBuilder.load(CleanSettings.from(TestSettings.load().config().dxpipe()),
        DiseaseCatalogue.fromClasspath()).clean(BronzeRecords.dataset(bronze.toArray(BronzeRecords[]::new)));
    Dataset<Row> gold = SharedSpark.session().createDataFrame(split, new StructType()
        .add(Bronze.RECORD_KEY, DataTypes.StringType).add(Gold.SPLIT, DataTypes.StringType));
    PipelineModel model = new Pipeline().setStages(new PipelineStage[] {new SQLTransformer().setStatement(
        "SELECT *, 'influenza' AS " + Predictions.PREDICTED_CODE + " FROM __THIS__")}).fit(silver.limit(0));
    MemoryTracking tracking = new MemoryTracking();
    String run = tracking.startRun("exp", "train", null, Map.of());
    String folder = ModelLayout.folder(dir.toUri().toString().replaceAll("/$", ""), "t-1");
    Configuration hadoop = SharedSpark.session().sparkContext().hadoopConfiguration();

    Profile p = MonitoringBaseline.write(tracking, run, model, gold, silver, Map.of("macro_f1", 0.7), folder, hadoop);

    assertThat(p.records()).as("train + validation only").isEqualTo(7);
    assertThat(p.performance()).containsExactly(Map.entry("macro_f1", 0.7));
    assertThat(p.numeric().get(Bronze.AGE).mean()).as("ages 20..80").isEqualTo(50.0);
    assertThat(p.categorical().get(Predictions.PREDICTED_CODE)).containsExactly(Map.entry("influenza", 7L));
    String written = new StorageFiles(folder, hadoop).readString(ModelLayout.baseline(folder));
    assertThat(Profile.fromJson(written).records()).isEqualTo(7);
    assertThat(tracking.runs().get(run).artifacts().get(ModelLayout.BASELINE_ARTIFACT))
        .isEqualTo(written.getBytes(StandardCharsets.UTF_8));
  }
}
