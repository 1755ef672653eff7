package dev.envforge.api;

import dev.envforge.api.v1alpha1.PythonEnvironment;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Puts the generated CRD's printer columns in the order declared on {@link PythonEnvironment}. The crd-generator
 * sorts them by JSON path, but kubectl shows them in the CRD's order (Ready, Variants, Image, Status, ..., Age).
 * Runs at build time, right after the generator, on the file it wrote; every other byte is kept.
 */
public final class PrinterColumnOrder {

  private static final Pattern COLUMN_NAME = Pattern.compile("(?m)^      name: \"([^\"]+)\"$");

  private PrinterColumnOrder() {}

  /** Rewrites each CRD file named in the arguments in place. */
  public static void main(String[] files) throws IOException {
    for (String file : files) {
      Path path = Path.of(file);
      String crd = Files.readString(path, StandardCharsets.UTF_8);
      String ordered = inDeclaredOrder(crd);
      if (!ordered.equals(crd)) {
        Files.writeString(path, ordered, StandardCharsets.UTF_8);
      }
    }
  }

  /** The CRD text with its printer-column entries reordered as declared; idempotent. */
  public static String inDeclaredOrder(String crd) {
    String start = "  - additionalPrinterColumns:\n";
    int from = crd.indexOf(start);
    if (from < 0) {
      throw new IllegalStateException("the generated CRD has no additionalPrinterColumns");
    }
    from += start.length();
    int to = crd.indexOf("\n    name: ", from) + 1;
    Map<String, String> entries = new LinkedHashMap<>();
    for (String entry : crd.substring(from, to).split("(?m)^(?=    - )")) {
      Matcher name = COLUMN_NAME.matcher(entry);
      if (!name.find()) {
        throw new IllegalStateException("printer column without a name: " + entry);
      }
      entries.put(name.group(1), entry);
    }
    StringBuilder ordered = new StringBuilder();
    for (AdditionalPrinterColumn column : PythonEnvironment.class.getAnnotationsByType(AdditionalPrinterColumn.class)) {
      String entry = entries.remove(column.name());
      if (entry == null) {
        throw new IllegalStateException("the generated CRD lacks printer column " + column.name());
      }
      ordered.append(entry);
    }
    if (!entries.isEmpty()) {
      throw new IllegalStateException("printer columns not declared on PythonEnvironment: " + entries.keySet());
    }
    return crd.substring(0, from) + ordered + crd.substring(to);
  }
}
