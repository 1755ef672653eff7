package dev.envforge.operator;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** What a scrape of the running operator's /metrics must show, whatever it reconciled. */
final class MetricsScrape {
  private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{[^}]*})? ");

  private MetricsScrape() {}

  /** The metric names of a Prometheus text exposition (without _bucket, _count, _sum, _max suffixes kept apart). */
  static Set<String> names(String exposition) {
    Set<String> names = new TreeSet<>();
    for (String line : exposition.split("\n")) {
      Matcher m = SAMPLE.matcher(line);
      if (!line.startsWith("#") && m.find()) {
        names.add(m.group(1));
      }
    }
    return names;
  }

  /**
   * JVM and process metrics, the histograms and the gauge by Ready status are there; no label carries any of the
   * given names of resources, namespaces, images or tags.
   */
  static void assertOperatorMetrics(String exposition, List<String> forbiddenInLabels) {
    assertThat(names(exposition)).contains("jvm_memory_used_bytes", "jvm_gc_pause_seconds_count",
        "jvm_threads_live_threads", "process_cpu_usage", "process_uptime_seconds", "process_files_open_files",
        "system_cpu_count", "envforge_registry_check_seconds_bucket", "envforge_resources");
    assertThat(exposition).contains("envforge_resources{ready=\"True\"} 1.0",
        "envforge_resources{ready=\"False\"} 0.0", "envforge_resources{ready=\"Unknown\"} 0.0");
    for (String line : exposition.split("\n")) {
      if (line.startsWith("#") || !line.contains("{")) {
        continue;
      }
      String labels = line.substring(line.indexOf('{'), line.lastIndexOf('}') + 1);
      for (String name : forbiddenInLabels) {
        assertThat(labels).as("labels of %s", line).doesNotContain(name);
      }
    }
  }
}
