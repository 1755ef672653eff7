package dev.envforge.chart;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.databind.MappingIterator;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The chart's PrometheusRule and Grafana dashboard, rendered with helm, against a scrape of the running operator:
 * every metric their PromQL names is exported, and every label they match or group by is one the metric has (or
 * one Prometheus adds to every target).
 */
public final class MonitoringChart {
  static final Path REPO = Path.of(System.getProperty("envforge.repoRoot", ".."));
  /** Labels Prometheus adds to every scraped series (the Prometheus Operator's pod and service monitors). */
  static final Set<String> TARGET_LABELS = Set.of("pod", "namespace", "instance", "job", "container", "service",
      "endpoint");
  /** PromQL words that are not metric names: aggregations, functions, keywords. */
  static final Set<String> PROMQL_WORDS = Set.of("sum", "min", "max", "avg", "count", "stddev", "stdvar", "topk",
      "bottomk", "quantile", "count_values", "group", "rate", "irate", "increase", "delta", "idelta", "deriv",
      "histogram_quantile", "abs", "absent", "absent_over_time", "avg_over_time", "max_over_time", "min_over_time",
      "sum_over_time", "count_over_time", "changes", "resets", "clamp_min", "clamp_max", "round", "vector",
      "scalar", "time", "by", "without", "on", "ignoring", "group_left", "group_right", "and", "or", "unless",
      "offset", "bool", "le", "inf", "nan");
  private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{([^}]*)})? ");
  private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");
  private static final Pattern MATCHERS = Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)\\s*\\{([^}]*)}");
  private static final Pattern MATCHER = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)\\s*(=~|!~|!=|=)\\s*\"([^\"]*)\"");
  private static final Pattern GROUPING = Pattern.compile("\\b(by|without)\\s*\\(([^)]*)\\)");
  private static final Pattern WORD = Pattern.compile("(?<![$\\w.])([a-zA-Z_:][a-zA-Z0-9_:]*)(?![\\w(])");

  private MonitoringChart() {}

  /** The PromQL expressions of the chart's alerts and dashboard, rendered with both turned on. */
  public static List<String> expressions() throws IOException, InterruptedException {
    String rendered = helm("template", "release", REPO.resolve("helm/envforge").toString(), "--namespace",
        "envforge-system", "--set", "metrics.prometheusRule.enabled=true", "--set",
        "metrics.grafanaDashboard.enabled=true");
    List<String> expressions = new ArrayList<>();
    ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
    boolean rules = false;
    boolean dashboard = false;
    try (MappingIterator<JsonNode> docs = yaml.readerFor(JsonNode.class).readValues(rendered)) {
      while (docs.hasNext()) {
        JsonNode doc = docs.next();
        if (doc == null || doc.isMissingNode() || doc.isNull()) {
          continue;
        }
        if (doc.path("kind").asText().equals("PrometheusRule")) {
          rules = true;
          for (JsonNode group : doc.at("/spec/groups")) {
            for (JsonNode rule : group.path("rules")) {
              expressions.add(rule.path("expr").asText());
            }
          }
        }
        if (doc.path("kind").asText().equals("ConfigMap")
            && "1".equals(doc.at("/metadata/labels/grafana_dashboard").asText())) {
          dashboard = true;
          JsonNode board = new ObjectMapper().readTree(doc.at("/data/envforge.json").asText());
          for (JsonNode panel : board.path("panels")) {
            for (JsonNode target : panel.path("targets")) {
              expressions.add(target.path("expr").asText());
            }
          }
        }
      }
    }
    assertThat(rules).as("the chart renders a PrometheusRule").isTrue();
    assertThat(dashboard).as("the chart renders a dashboard ConfigMap labelled grafana_dashboard: \"1\"").isTrue();
    assertThat(expressions).isNotEmpty().allSatisfy(e -> assertThat(e).isNotBlank());
    return expressions;
  }

  /** Fails unless every metric and label the rendered rules and dashboard use is in {@code exposition}. */
  public static void assertUsesOnlyExported(String exposition) throws IOException, InterruptedException {
    Map<String, Map<String, Set<String>>> exported = series(exposition);
    for (String expression : expressions()) {
      Set<String> metrics = metricNames(expression);
      assertThat(metrics).as("metrics of %s", expression).isNotEmpty();
      for (String metric : metrics) {
        assertThat(exported).as("%s (used in %s) is exported by the running operator", metric, expression)
            .containsKey(metric);
      }
      Matcher selectors = MATCHERS.matcher(expression);
      while (selectors.find()) {
        Map<String, Set<String>> labels = exported.get(selectors.group(1));
        Matcher m = MATCHER.matcher(selectors.group(2));
        while (m.find()) {
          assertThat(labels).as("labels of %s in %s", selectors.group(1), expression).containsKey(m.group(1));
          if (m.group(2).equals("=")) {
            assertThat(labels.get(m.group(1))).as("values of %s{%s} in %s", selectors.group(1), m.group(1),
                expression).contains(m.group(3));
          }
        }
      }
      Matcher grouping = GROUPING.matcher(expression);
      while (grouping.find()) {
        for (String label : grouping.group(2).split(",")) {
          String name = label.strip();
          boolean known = TARGET_LABELS.contains(name) || metrics.stream()
              .anyMatch(metric -> exported.get(metric).containsKey(name));
          assertThat(known).as("label %s (in %s) is on %s or added by Prometheus", name, expression, metrics)
              .isTrue();
        }
      }
    }
  }

  /** The metric names a PromQL expression selects. */
  static Set<String> metricNames(String expression) {
    String text = GROUPING.matcher(expression).replaceAll(" ");
    text = text.replaceAll("\\{[^}]*}", " ").replaceAll("\\[[^]]*]", " ").replaceAll("\"[^\"]*\"", " ");
    Set<String> names = new TreeSet<>();
    Matcher m = WORD.matcher(text);
    while (m.find()) {
      String word = m.group(1);
      if (!PROMQL_WORDS.contains(word.toLowerCase(java.util.Locale.ROOT))) {
        names.add(word);
      }
    }
    return names;
  }

  /** Metric name → label name → values, from a Prometheus text exposition. */
  static Map<String, Map<String, Set<String>>> series(String exposition) {
    Map<String, Map<String, Set<String>>> series = new TreeMap<>();
    for (String line : exposition.split("\n")) {
      Matcher m = SAMPLE.matcher(line);
      if (line.startsWith("#") || !m.find()) {
        continue;
      }
      Map<String, Set<String>> labels = series.computeIfAbsent(m.group(1), k -> new TreeMap<>());
      if (m.group(3) != null) {
        Matcher l = LABEL.matcher(m.group(3));
        while (l.find()) {
          labels.computeIfAbsent(l.group(1), k -> new TreeSet<>()).add(l.group(2));
        }
      }
    }
    return series;
  }

  /** Runs helm: $ENVFORGE_HELM, else helm on PATH, else the copy .ci/helm-check.sh keeps in its cache. */
  static String helm(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(helmBinary());
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).redirectErrorStream(false).start();
    byte[] out = process.getInputStream().readAllBytes();
    byte[] err = process.getErrorStream().readAllBytes();
    assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).as("helm %s: %s", String.join(" ", args),
        new String(err, StandardCharsets.UTF_8)).isZero();
    return new String(out, StandardCharsets.UTF_8);
  }

  static String helmBinary() {
    String configured = System.getenv("ENVFORGE_HELM");
    if (configured != null && !configured.isBlank()) {
      return configured;
    }
    for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
      if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, "helm"))) {
        return Path.of(dir, "helm").toString();
      }
    }
    String cache = System.getenv("ENVFORGE_TOOLS_CACHE");
    if (cache == null) {
      String xdg = System.getenv("XDG_CACHE_HOME");
      cache = (xdg != null ? xdg : System.getProperty("user.home") + "/.cache") + "/envforge-tools";
    }
    Path cached = Path.of(cache, "lambda-layer-kubectl-v30-2.0.4", "helm");
    assertThat(cached).as("helm: set ENVFORGE_HELM, put helm on PATH, or run bash .ci/helm-check.sh once (it"
        + " fetches helm into %s)", cached).isExecutable();
    return cached.toString();
  }
}
