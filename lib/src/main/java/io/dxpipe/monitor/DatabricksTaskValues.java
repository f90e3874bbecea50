package io.dxpipe.monitor;

import java.io.PrintStream;

/**
 * Sets a Databricks job task value ({@code dbutils.jobs.taskValues.set}), which later tasks of the
 * job read, e.g. an if/else condition task on {@code {{tasks.monitor.values.retrain}}}. Reached by
 * reflection, so the jar needs no Databricks library and does nothing elsewhere.
 */
final class DatabricksTaskValues {
  private DatabricksTaskValues() {}

  static boolean set(String key, Object value, PrintStream out) {
    try {
      Class<?> holder = Class.forName("com.databricks.dbutils_v1.DBUtilsHolder");
      Object dbutils = holder.getMethod("dbutils").invoke(null);
      Object jobs = dbutils.getClass().getMethod("jobs").invoke(dbutils);
      Object taskValues = jobs.getClass().getMethod("taskValues").invoke(jobs);
      taskValues.getClass().getMethod("set", String.class, Object.class).invoke(taskValues, key, value);
      out.println("[dxpipe] Databricks task value " + key + " = " + value);
      return true;
    } catch (ClassNotFoundException e) {
      return false; // not on Databricks
    } catch (ReflectiveOperationException | RuntimeException e) {
      out.println("[dxpipe] WARNING: could not set the Databricks task value " + key + ": " + e);
      return false;
    }
  }
}
