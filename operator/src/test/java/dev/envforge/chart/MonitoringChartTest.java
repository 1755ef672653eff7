package dev.envforge.chart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The check of the chart's alerts and dashboard against a scrape (run on the real operator by EnvforgeProcessIT)
 * finds what is missing: a metric, a label, a label value.
 */
class MonitoringChartTest {
  static final String SCRAPE = String.join("\n",
      "# HELP envforge_builds_failed_total Builds that failed, by reason",
      "envforge_builds_failed_total{reason=\"BuildFailed\"} 0.0",
      "envforge_builds_started_total 0.0",
      "envforge_builds_succeeded_total 0.0",
      "envforge_cache_hits_total 0.0",
      "envforge_build_duration_seconds_bucket{outcome=\"failed\",le=\"5.0\"} 0",
      "envforge_registry_check_seconds_count{cached=\"false\",outcome=\"unknown\"} 0",
      "envforge_registry_check_seconds_bucket{cached=\"false\",outcome=\"unknown\",le=\"0.001\"} 0",
      "envforge_registry_unavailable_resources 0.0",
      "envforge_reconcile_errors_total 0.0",
      "envforge_resources{ready=\"True\"} 1.0",
      "jvm_memory_used_bytes{area=\"heap\",id=\"G1 Eden Space\"} 1.0",
      "jvm_memory_max_bytes{area=\"heap\",id=\"G1 Eden Space\"} 1.0",
      "process_cpu_usage 0.1") + "\n";

  @Test
  void theRenderedRulesAndDashboardNameOnlyWhatTheScrapeHas() throws Exception {
    MonitoringChart.assertUsesOnlyExported(SCRAPE);
    assertThat(MonitoringChart.expressions()).anySatisfy(e -> assertThat(e).contains("envforge_reconcile_errors_total"))
        .anySatisfy(e -> assertThat(e).contains("envforge_registry_unavailable_resources"))
        .anySatisfy(e -> assertThat(e).contains("envforge_builds_failed_total"));
  }

  @Test
  void aMissingMetricLabelOrValueFails() {
    for (String missing : List.of("envforge_reconcile_errors_total 0.0\n", "area=\"heap\",",
        "cached=\"false\",outcome=\"unknown\",le=\"0.001\"")) {
      String scrape = SCRAPE.replace(missing, missing.startsWith("envforge_") ? "" : missing.replace("heap",
          "nonheap").replace("false", "true"));
      assertThat(scrape).isNotEqualTo(SCRAPE);
      assertThatThrownBy(() -> MonitoringChart.assertUsesOnlyExported(scrape)).as(missing)
          .isInstanceOf(AssertionError.class);
    }
  }

  @Test
  void metricNamesAreTheSelectorsOfAnExpression() {
    assertThat(MonitoringChart.metricNames("histogram_quantile(0.95, sum by (le, outcome) "
        + "(rate(envforge_build_duration_seconds_bucket{cached=\"x\"}[$__rate_interval])))"))
        .containsExactly("envforge_build_duration_seconds_bucket");
    assertThat(MonitoringChart.metricNames("max(envforge_registry_unavailable_resources) > 0"))
        .containsExactly("envforge_registry_unavailable_resources");
  }
}
