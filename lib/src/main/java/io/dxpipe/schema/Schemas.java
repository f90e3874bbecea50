package io.dxpipe.schema;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/** Holds a table's rows to the {@link StructType} declared for it in this package. */
public final class Schemas {
  private Schemas() {}

  /**
   * The rows with exactly the declared columns, in the declared order (other columns, such as a
   * pipeline's intermediate ones, are left out). Names and types must match (nullability is left to
   * Spark: it follows from how a column is computed); a missing or differently typed column is a
   * defect of the writing code, named in the exception, never cast away or written as a new table
   * version.
   */
  public static Dataset<Row> conform(Dataset<Row> rows, StructType declared, String table) {
    List<String> problems = differences(rows.schema(), declared, false);
    if (!problems.isEmpty()) {
      throw new IllegalStateException("the " + table + " rows do not match the declared schema (io.dxpipe.schema): "
          + String.join("; ", problems));
    }
    return rows.select(Arrays.stream(declared.fieldNames()).map(functions::col).toArray(Column[]::new));
  }

  /** What differs between an actual and a declared schema (names and types, nullability ignored), empty if nothing. */
  public static List<String> differences(StructType actual, StructType declared) {
    return differences(actual, declared, true);
  }

  private static List<String> differences(StructType actual, StructType declared, boolean extras) {
    Map<String, StructField> have = Arrays.stream(actual.fields())
        .collect(Collectors.toMap(StructField::name, Function.identity(), (a, b) -> a));
    List<String> problems = new ArrayList<>();
    for (StructField f : declared.fields()) {
      StructField a = have.remove(f.name());
      if (a == null) {
        problems.add("missing column " + f.name() + " " + f.dataType().catalogString());
      } else if (!a.dataType().catalogString().equals(f.dataType().catalogString())) {
        problems.add(String.format(Locale.ROOT, "column %s is %s, declared %s", f.name(),
            a.dataType().catalogString(), f.dataType().catalogString()));
      }
    }
    if (extras) {
      have.keySet().stream().sorted().forEach(extra -> problems.add("undeclared column " + extra));
    }
    return problems;
  }
}
