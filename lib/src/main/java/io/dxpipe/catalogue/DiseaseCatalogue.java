package io.dxpipe.catalogue;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The disease catalogue the sample-data generator draws from: diseases with symptom profiles and
 * prevalence, the symptom vocabulary and population shares. Derived from public data by
 * {@link CatalogueBuilder} and checked in as {@code catalogue/disease-catalogue.json}.
 * Immutable and serializable, so it can be shipped to executors inside a closure.
 */
public record DiseaseCatalogue(
    String derivedFrom,
    List<Disease> diseases,
    List<Symptom> symptoms,
    List<Category> ethnicities) implements Serializable {

  public DiseaseCatalogue {
    diseases = List.copyOf(diseases);
    symptoms = List.copyOf(symptoms);
    ethnicities = List.copyOf(ethnicities);
  }

  /** Classpath location of the checked-in catalogue. */
  public static final String RESOURCE = "catalogue/disease-catalogue.json";

  private static final ObjectMapper JSON = new ObjectMapper()
      .enable(SerializationFeature.INDENT_OUTPUT)
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  /** The checked-in catalogue, parsed once per JVM (12 MB of JSON: about 4,100 diseases). */
  public static DiseaseCatalogue fromClasspath() {
    DiseaseCatalogue c = classpath;
    if (c == null) {
      synchronized (DiseaseCatalogue.class) {
        c = classpath;
        if (c == null) {
          c = readClasspath();
          classpath = c;
        }
      }
    }
    return c;
  }

  private static volatile DiseaseCatalogue classpath;

  private static DiseaseCatalogue readClasspath() {
    try (InputStream in = DiseaseCatalogue.class.getClassLoader().getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(RESOURCE + " is not on the classpath: rebuild it with scripts/build-catalogue.sh");
      }
      return JSON.readValue(in, DiseaseCatalogue.class);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + RESOURCE, e);
    }
  }

  public static DiseaseCatalogue read(Path file) {
    try {
      return JSON.readValue(file.toFile(), DiseaseCatalogue.class);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read disease catalogue " + file, e);
    }
  }

  public void write(Path file) {
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      JSON.writeValue(file.toFile(), this);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write disease catalogue " + file, e);
    }
  }

  public Map<String, Disease> diseasesByCode() {
    return diseases.stream().collect(Collectors.toMap(Disease::code, Function.identity()));
  }

  public Map<String, Symptom> symptomsByCode() {
    return symptoms.stream().collect(Collectors.toMap(Symptom::code, Function.identity()));
  }

  /** The codes of the orphan (rare) diseases. */
  public java.util.Set<String> orphanCodes() {
    return diseases.stream().filter(Disease::isOrphan).map(Disease::code).collect(Collectors.toUnmodifiableSet());
  }

  public List<Disease> diseasesOf(DiseaseGroup group) {
    return diseases.stream().filter(d -> d.group() == group).toList();
  }
}
