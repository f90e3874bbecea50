package io.dxpipe.generate.format;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.IParser;
import ca.uhn.fhir.parser.StrictErrorHandler;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dxpipe.catalogue.Disease;
import io.dxpipe.catalogue.DiseaseCatalogue;
import io.dxpipe.generate.PatientRecord;
import io.dxpipe.generate.RecordSynthesizer;
import io.dxpipe.io.CsvText;
import io.dxpipe.testing.Repo;
import io.dxpipe.testing.TestSettings;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

class FormatWritersTest {
  private static final DiseaseCatalogue CATALOGUE = DiseaseCatalogue.fromClasspath();
  private static final Map<String, String> NAMES =
      CATALOGUE.diseases().stream().collect(Collectors.toMap(Disease::code, Disease::name));
  private static final RecordSynthesizer SYNTH = new RecordSynthesizer(CATALOGUE, TestSettings.generate());
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final FhirContext FHIR = FhirContext.forR4();

  private static List<PatientRecord> records(int n) {
    return LongStream.range(0, n).mapToObj(SYNTH::synthesize).toList();
  }

  private static PatientRecord completeRecord() {
    return LongStream.range(0, 500).mapToObj(SYNTH::synthesize)
        .filter(r -> r.temperatureC != null && r.heartRate != null && r.systolic != null && r.weightKg != null
            && !r.previousDiagnoses.isEmpty())
        .findFirst().orElseThrow();
  }

  @Test
  void nestedJsonCarriesEveryField() throws Exception {
    PatientRecord r = completeRecord();
    byte[] bytes = new NestedJsonWriter("north_ehr", NestedJsonWriter.Layout.ONE_PER_FILE).render(List.of(r));
    JsonNode j = JSON.readTree(bytes);
    assertThat(j.get("recordId").asText()).isEqualTo(r.recordId);
    assertThat(j.at("/patient/age").isInt()).isTrue();
    assertThat(j.at("/patient/age").asInt()).isEqualTo(r.age);
    assertThat(j.at("/patient/nationalId").asText()).isEqualTo(r.nationalId);
    assertThat(j.at("/encounter/date").asText()).isEqualTo(r.diagnosisDate.toString());
    assertThat(j.at("/encounter/vitals/temperatureC").asDouble()).isEqualTo(r.temperatureC);
    assertThat(j.at("/encounter/vitals/bloodPressure/systolic").asInt()).isEqualTo(r.systolic.intValue());
    assertThat(j.at("/encounter/symptoms")).hasSize(r.symptoms.size());
    assertThat(j.at("/encounter/symptoms/0/severity").asText()).isIn("mild", "moderate", "severe");
    assertThat(j.at("/encounter/history/previousDiagnoses").size()).isEqualTo(r.previousDiagnoses.size());
    assertThat(j.at("/diagnosis/code").asText()).isEqualTo(r.diseaseCode);
  }

  @Test
  void nestedJsonWritesTypeMismatchesAsStringsAndLeavesOutMissingFields() throws Exception {
    PatientRecord r = completeRecord().copy();
    r.raw.put(PatientRecord.AGE, "forty-two");
    r.gender = null;
    r.diseaseCode = null;
    JsonNode j = JSON.readTree(new NestedJsonWriter("north_ehr", NestedJsonWriter.Layout.ONE_PER_FILE).render(List.of(r)));
    assertThat(j.at("/patient/age").isTextual()).isTrue();
    assertThat(j.at("/patient/age").asText()).isEqualTo("forty-two");
    assertThat(j.at("/patient").has("gender")).isFalse();
    assertThat(j.has("diagnosis")).isFalse();
  }

  @Test
  void jsonLinesHoldOneCompactRecordPerLine() throws Exception {
    List<PatientRecord> rs = records(25);
    String text = new String(new NestedJsonWriter("north_ehr_batch", NestedJsonWriter.Layout.LINES).render(rs), StandardCharsets.UTF_8);
    List<String> lines = text.lines().toList();
    assertThat(lines).hasSize(25);
    for (int i = 0; i < 25; i++) {
      assertThat(JSON.readTree(lines.get(i)).get("recordId").asText()).isEqualTo(rs.get(i).recordId);
    }
  }

  @Test
  void registryXmlParsesWithOneRecordElementEach() throws Exception {
    List<PatientRecord> rs = records(30);
    byte[] bytes = new RegistryXmlWriter("registry_xml", NAMES).render(rs);
    Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(new ByteArrayInputStream(bytes));
    assertThat(doc.getDocumentElement().getTagName()).isEqualTo("registryExport");
    assertThat(doc.getElementsByTagName("record").getLength()).isEqualTo(30);
    Element first = (Element) doc.getElementsByTagName("record").item(0);
    assertThat(first.getAttribute("id")).isEqualTo(rs.get(0).recordId);
    assertThat(((Element) first.getElementsByTagName("diagnosis").item(0)).getTextContent()).isEqualTo(rs.get(0).diseaseName);
    assertThat(((Element) first.getElementsByTagName("sex").item(0)).getTextContent()).isIn("F", "M");
  }

  @Test
  void clinicCsvUsesItsOwnUnitsAndConventions() {
    PatientRecord r = completeRecord();
    String text = new String(new ClinicCsvWriter(NAMES).render(List.of(r)), StandardCharsets.UTF_8);
    List<String> lines = text.lines().toList();
    assertThat(lines).hasSize(2);
    List<String> header = CsvText.fields(lines.get(0));
    List<String> row = CsvText.fields(lines.get(1));
    assertThat(row).hasSameSizeAs(header);
    Map<String, String> v = new java.util.HashMap<>();
    for (int i = 0; i < header.size(); i++) {
      v.put(header.get(i), row.get(i));
    }
    assertThat(Double.parseDouble(v.get("TempF"))).isCloseTo(r.temperatureC * 9 / 5 + 32, within(0.06));
    assertThat(Double.parseDouble(v.get("WeightLb"))).isCloseTo(r.weightKg * 2.20462, within(0.06));
    assertThat(v.get("VisitDate")).matches("\\d{2}/\\d{2}/\\d{4}");
    assertThat(v.get("BP")).isEqualTo(r.systolic.intValue() + "/" + r.diastolic.intValue());
    assertThat(v.get("Hx_Hypertension")).isIn("yes", "no");
    assertThat(v.get("Hx_Hypertension")).isEqualTo(r.previousDiagnoses.contains("hypertension") ? "yes" : "no");
    assertThat(v.get("PatientName")).isEqualTo(r.lastName + ", " + r.firstName);
    assertThat(v.get("FinalDiagnosis")).isEqualTo(r.diseaseName);
    assertThat(v.get("Symptoms").split("; ")).hasSize(r.symptoms.size())
        .allMatch(s -> s.matches(".+ \\((10|[1-9])\\)"));
  }

  @Test
  void clinicCsvRendersDirtAsTheSourceWouldSendIt() {
    PatientRecord r = completeRecord().copy();
    r.gender = null;
    r.raw.put(PatientRecord.TEMPERATURE, "high");
    r.raw.put(PatientRecord.DIAGNOSIS_DATE, "yesterday");
    r.heartRate = 350.0;
    List<String> lines = new String(new ClinicCsvWriter(NAMES).render(List.of(r)), StandardCharsets.UTF_8).lines().toList();
    List<String> header = CsvText.fields(lines.get(0));
    List<String> row = CsvText.fields(lines.get(1));
    assertThat(row.get(header.indexOf("Sex"))).isEmpty();
    assertThat(row.get(header.indexOf("TempF"))).isEqualTo("high");
    assertThat(row.get(header.indexOf("VisitDate"))).isEqualTo("yesterday");
    assertThat(row.get(header.indexOf("Pulse"))).isEqualTo("350");
  }

  @Test
  void registryXmlRendersDirtAsTheSourceWouldSendIt() throws Exception {
    PatientRecord r = completeRecord().copy();
    r.raw.put(PatientRecord.AGE, "forty-two");
    r.sourcePatientId = null;
    r.diagnosisDate = null;
    r.temperatureC = 60.0;
    byte[] bytes = new RegistryXmlWriter("registry_xml", NAMES).render(List.of(r));
    Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(new ByteArrayInputStream(bytes));
    Element patient = (Element) doc.getElementsByTagName("patient").item(0);
    assertThat(patient.hasAttribute("registryId")).isFalse();
    assertThat(patient.getElementsByTagName("age").item(0).getTextContent()).isEqualTo("forty-two");
    Element visit = (Element) doc.getElementsByTagName("visit").item(0);
    assertThat(visit.hasAttribute("date")).isFalse();
    var vitals = doc.getElementsByTagName("vital");
    String temperature = null;
    for (int i = 0; i < vitals.getLength(); i++) {
      Element v = (Element) vitals.item(i);
      if (v.getAttribute("name").equals("temperature")) {
        temperature = v.getTextContent();
      }
    }
    assertThat(temperature).isEqualTo("60.0");
  }

  @Test
  void fhirBundlesAreValidR4ForAStrictParser() {
    IParser strict = FHIR.newJsonParser().setParserErrorHandler(new StrictErrorHandler());
    for (PatientRecord r : records(40)) {
      Bundle bundle = strict.parseResource(Bundle.class, new String(new FhirBundleWriter(NAMES).render(List.of(r)), StandardCharsets.UTF_8));
      assertThat(bundle.getType()).isEqualTo(Bundle.BundleType.TRANSACTION);
      Patient patient = (Patient) bundle.getEntryFirstRep().getResource();
      assertThat(patient.getGender().toCode()).isEqualTo(r.gender);
      assertThat(patient.getBirthDateElement().getValueAsString()).isEqualTo(r.birthDate.toString());
      List<String> loinc = bundle.getEntry().stream().map(Bundle.BundleEntryComponent::getResource)
          .filter(Observation.class::isInstance).map(o -> ((Observation) o).getCode().getCodingFirstRep().getCode()).toList();
      if (r.temperatureC != null) {
        assertThat(loinc).contains("8310-5");
      }
      assertThat(loinc.stream().filter("75325-1"::equals).count()).isEqualTo(r.symptoms.size());
      assertThat(bundle.getEntry()).allMatch(e -> e.getRequest().getMethod() == Bundle.HTTPVerb.POST
          && e.getRequest().getUrl().equals(e.getResource().fhirType()));
    }
  }

  /** Our bundles use the same shapes as the Synthea samples: same resource types and vital-sign codes. */
  @Test
  void fhirBundlesUseTheVitalSignCodesOfTheSyntheaSamples() throws Exception {
    IParser parser = FHIR.newJsonParser();
    java.util.Set<String> syntheaCodes = new java.util.HashSet<>();
    try (Stream<Path> files = Files.list(Repo.sharedData().resolve("synthea/fhir"))) {
      for (Path f : files.toList()) {
        Bundle b = parser.parseResource(Bundle.class, Files.readString(f));
        b.getEntry().stream().map(Bundle.BundleEntryComponent::getResource).filter(Observation.class::isInstance)
            .forEach(o -> syntheaCodes.add(((Observation) o).getCode().getCodingFirstRep().getCode()));
      }
    }
    PatientRecord r = completeRecord();
    Bundle ours = parser.parseResource(Bundle.class, new String(new FhirBundleWriter(NAMES).render(List.of(r)), StandardCharsets.UTF_8));
    List<String> vitalCodes = ours.getEntry().stream().map(Bundle.BundleEntryComponent::getResource)
        .filter(Observation.class::isInstance).map(o -> (Observation) o)
        .filter(o -> o.getCategoryFirstRep().getCodingFirstRep().getCode().equals("vital-signs"))
        .map(o -> o.getCode().getCodingFirstRep().getCode()).toList();
    assertThat(vitalCodes).isNotEmpty();
    assertThat(syntheaCodes).containsAll(vitalCodes);
  }

  @Test
  void fhirTypeMismatchIsAStringWhereANumberBelongs() throws Exception {
    PatientRecord r = completeRecord().copy();
    r.raw.put(PatientRecord.TEMPERATURE, "feverish");
    JsonNode bundle = JSON.readTree(new FhirBundleWriter(NAMES).render(List.of(r)));
    JsonNode temperature = null;
    for (JsonNode e : bundle.get("entry")) {
      if (e.at("/resource/code/coding/0/code").asText().equals("8310-5")) {
        temperature = e.at("/resource/valueQuantity/value");
      }
    }
    assertThat(temperature).isNotNull();
    assertThat(temperature.isTextual()).isTrue();
    assertThat(temperature.asText()).isEqualTo("feverish");
  }
}
