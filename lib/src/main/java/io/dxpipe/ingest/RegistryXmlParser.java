package io.dxpipe.ingest;

import java.io.ByteArrayInputStream;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.transform.OutputKeys;
import javax.xml.transform.Transformer;
import javax.xml.transform.TransformerFactory;
import javax.xml.transform.dom.DOMSource;
import javax.xml.transform.stream.StreamResult;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;
import org.xml.sax.SAXParseException;

/**
 * The regional registry's XML export: {@code <registryExport>} holding {@code <record id>} elements
 * with {@code <patient>}, {@code <visit>} (symptoms with a severity attribute, vitals as
 * {@code <vital name unit>}) and {@code <diagnosis>}. Uses the JDK's DOM parser with DOCTYPE
 * declarations refused (so no external entities, XXE, and no entity expansion, billion laughs) and
 * the JDK's secure-processing limits, plus a nesting limit: the DOM and every recursive walk over it
 * (text content, serializing the payload) are then bounded, and a hostile file is an
 * {@link UnreadableFileException}, never a {@link StackOverflowError}. The source's {@code values}
 * block maps its display names.
 */
final class RegistryXmlParser implements RecordParser {
  /**
   * Deepest element nesting accepted. The export nests four deep (registryExport, record, visit,
   * symptom); the margin leaves room for wrappers a registry may add, far below what overflows a stack.
   */
  static final int MAX_ELEMENT_DEPTH = 100;
  /** Attributes per element accepted; the export uses at most three. */
  static final int MAX_ATTRIBUTES = 100;

  @Override
  public List<RawRecord> parse(byte[] content, SourceSettings source) throws UnreadableFileException {
    Document doc;
    try {
      DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
      // secure processing: the JDK's limits on entity sizes, name lengths (jdk.xml.maxXMLNameLimit) and more
      f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
      f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
      f.setAttribute("jdk.xml.maxElementDepth", String.valueOf(MAX_ELEMENT_DEPTH));
      f.setAttribute("jdk.xml.elementAttributeLimit", String.valueOf(MAX_ATTRIBUTES));
      f.setXIncludeAware(false);
      f.setExpandEntityReferences(false);
      DocumentBuilder builder = f.newDocumentBuilder();
      builder.setErrorHandler(null);
      doc = builder.parse(new ByteArrayInputStream(content));
    } catch (Exception e) {
      throw new UnreadableFileException(describe(e), e);
    }
    Element root = doc.getDocumentElement();
    if (!"registryExport".equals(root.getTagName())) {
      throw new UnreadableFileException("root element is <" + root.getTagName() + ">, expected <registryExport>");
    }
    List<RawRecord> records = new ArrayList<>();
    NodeList list = root.getElementsByTagName("record");
    for (int i = 0; i < list.getLength(); i++) {
      Element e = (Element) list.item(i);
      RawRecord r = new RawRecord(i + 1);
      r.payload = Text.cap(xml(e));
      r.put(Field.RECORD_ID, attr(e, "id"));
      Element patient = child(e, "patient");
      Element visit = child(e, "visit");
      if (patient == null || visit == null) {
        records.add(RawRecord.malformed(i + 1, r.payload, "record " + (i + 1) + " lacks its <patient> or <visit> element"));
        continue;
      }
      r.put(Field.PATIENT_ID, attr(patient, "registryId"));
      r.put(Field.NATIONAL_ID, attr(patient, "nationalId"));
      r.put(Field.GIVEN_NAME, text(patient, "givenName"));
      r.put(Field.FAMILY_NAME, text(patient, "familyName"));
      r.put(Field.ADDRESS, text(patient, "address"));
      r.put(Field.AGE, text(patient, "age"));
      r.put(Field.GENDER, text(patient, "sex"));
      r.put(Field.ETHNICITY, text(patient, "ethnicity"));
      r.put(Field.MARITAL_STATUS, text(patient, "maritalStatus"));
      r.put(Field.EDUCATION, text(patient, "education"));
      r.put(Field.VISIT_DATE, attr(visit, "date"));
      r.put(Field.ONSET_DATE, attr(visit, "symptomOnset"));
      r.put(Field.NOTE, text(visit, "note"));
      for (Element s : children(visit, "symptom")) {
        r.symptoms.add(new String[] {s.getTextContent().trim(), attr(s, "severity")});
      }
      for (Element v : children(visit, "vital")) {
        Field f = switch (attr(v, "name") == null ? "" : attr(v, "name")) {
          case "temperature" -> Field.TEMPERATURE;
          case "heartRate" -> Field.HEART_RATE;
          case "systolic" -> Field.SYSTOLIC;
          case "diastolic" -> Field.DIASTOLIC;
          case "respiratoryRate" -> Field.RESPIRATORY_RATE;
          case "oxygenSaturation" -> Field.SPO2;
          case "weight" -> Field.WEIGHT;
          default -> null;
        };
        if (f != null) {
          String unit = attr(v, "unit");
          String value = v.getTextContent().trim();
          // the registry states units per value: convert the ones the canonical record does not use
          if (f == Field.TEMPERATURE && "[degF]".equals(unit)) {
            value = Units.fahrenheitToCelsiusText(value);
          } else if (f == Field.WEIGHT && "[lb_av]".equals(unit)) {
            value = Units.poundsToKgText(value);
          }
          r.put(f, value);
        }
      }
      for (Element d : children(visit, "previousDiagnosis")) {
        r.previousDiagnoses.add(d.getTextContent().trim());
      }
      r.put(Field.DIAGNOSIS, text(e, "diagnosis"));
      records.add(r);
    }
    return records;
  }

  /** The parser's complaint in a data engineer's words: which limit or rule the file broke. */
  private static String describe(Exception e) {
    String message = e.getMessage() == null ? "" : e.getMessage();
    if (e instanceof SAXParseException && message.startsWith("JAXP00010006")) {
      return "XML nesting deeper than " + MAX_ELEMENT_DEPTH + " elements (jdk.xml.maxElementDepth): "
          + Text.brief(message);
    }
    if (e instanceof SAXParseException && message.startsWith("DOCTYPE is disallowed")) {
      return "XML with a DOCTYPE declaration is refused (external entities and entity expansion are not read): "
          + Text.brief(message);
    }
    if (e instanceof SAXParseException && message.startsWith("JAXP")) {
      return "XML beyond a parser limit: " + Text.brief(message);
    }
    return "not well-formed XML: " + Text.brief(message);
  }

  private static String xml(Node node) {
    try {
      Transformer t = TransformerFactory.newInstance().newTransformer();
      t.setOutputProperty(OutputKeys.OMIT_XML_DECLARATION, "yes");
      StringWriter w = new StringWriter();
      t.transform(new DOMSource(node), new StreamResult(w));
      return w.toString();
    } catch (Exception e) {
      return null;
    }
  }

  private static String attr(Element e, String name) {
    return e.hasAttribute(name) ? e.getAttribute(name) : null;
  }

  private static Element child(Element parent, String name) {
    List<Element> c = children(parent, name);
    return c.isEmpty() ? null : c.get(0);
  }

  private static String text(Element parent, String name) {
    Element c = child(parent, name);
    return c == null ? null : c.getTextContent();
  }

  private static List<Element> children(Element parent, String name) {
    List<Element> result = new ArrayList<>();
    for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
      if (n instanceof Element el && el.getTagName().equals(name)) {
        result.add(el);
      }
    }
    return result;
  }
}
