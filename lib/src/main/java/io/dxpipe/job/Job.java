package io.dxpipe.job;

import io.dxpipe.config.Settings;
import org.apache.spark.sql.SparkSession;

/**
 * What one job declares: its name, what it does, how it reads its typed settings, and its body.
 * {@link JobRunner#main} and {@link JobRunner#run} do the rest (arguments, the printed
 * configuration, the Spark session, the summary and the exit code), the same for every job.
 *
 * @param <S> the job's typed settings, read once by {@link #settings} and handed to {@link #execute}
 */
public interface Job<S> {

  /** The job's name: the Spark application's name, the prefix of its messages and the title of its summary. */
  String name();

  /** What the job does, printed by {@code --help}. */
  String description();

  /**
   * Reads and checks every setting the job needs from the loaded configuration. This is the
   * validation: it runs before Spark starts (and is all that {@code --check} runs), so a bad key
   * throws a {@link io.dxpipe.config.ConfigurationException} naming it and the job exits with 2.
   */
  S settings(Settings settings);

  /** The job's work, given the settings {@link #settings} read; returns what it read, wrote and rejected. */
  JobSummary execute(S settings, SparkSession spark) throws Exception;
}
