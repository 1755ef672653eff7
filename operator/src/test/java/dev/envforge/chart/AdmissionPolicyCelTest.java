package dev.envforge.chart;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.cel.common.types.SimpleType;
import dev.cel.compiler.CelCompiler;
import dev.cel.compiler.CelCompilerFactory;
import dev.cel.extensions.CelExtensions;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelRuntime;
import dev.cel.runtime.CelRuntimeFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The chart's ValidatingAdmissionPolicy, evaluated as the API server would (variables, then validations) with the
 * CEL library, for allowed and refused specs against an EnvironmentPolicy parameter.
 */
class AdmissionPolicyCelTest {
  static final Path TEMPLATE = Path.of(System.getProperty("envforge.repoRoot", ".."))
      .resolve("helm/envforge/templates/validatingadmissionpolicy.yaml");
  static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  static final CelCompiler COMPILER = CelCompilerFactory.standardCelCompilerBuilder()
      .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
      .addLibraries(CelExtensions.strings())
      .addVar("object", SimpleType.DYN).addVar("params", SimpleType.DYN)
      .addVar("namespaceObject", SimpleType.DYN).addVar("variables", SimpleType.DYN)
      .build();
  static final CelRuntime RUNTIME = CelRuntimeFactory.standardCelRuntimeBuilder()
      .addLibraries(CelExtensions.strings()).build();

  static final String POLICY = """
      metadata: {name: data-science}
      spec:
        namespaceSelector:
          matchLabels: {team: ds}
          matchExpressions: [{key: tier, operator: NotIn, values: [sandbox]}]
        rules:
          allowedImageRepositories: [registry.example.com/ml]
          allowedBaseImages: {prefixes: ["registry.example.com/base/"], requireDigest: true}
          forbiddenGroups: [exp]
          forbiddenExtras: [gpu]
      """;

  /** The VAP document of the template, without its Helm lines. */
  static JsonNode policySpec() throws Exception {
    String text = Files.readString(TEMPLATE).lines().filter(l -> !l.contains("{{") && !l.startsWith("*/")
        && !l.startsWith("Admission-time") && !l.startsWith("forbidden groups") && !l.startsWith("in CEL"))
        .collect(Collectors.joining("\n"));
    return YAML.readTree(text.substring(0, text.indexOf("\n---"))).get("spec");
  }

  /** The messages of the failed validations, empty when the spec is admitted. */
  static List<String> admit(String namespaceLabels, String spec) throws Exception {
    JsonNode vap = policySpec();
    Map<String, Object> input = new HashMap<>();
    input.put("object", toMap("spec: " + spec));
    input.put("params", toMap(POLICY));
    input.put("namespaceObject", toMap("metadata: {name: ns, labels: " + namespaceLabels + "}"));
    Map<String, Object> variables = new HashMap<>();
    input.put("variables", variables);
    for (JsonNode v : vap.get("variables")) {
      variables.put(v.get("name").asText(), eval(v.get("expression").asText(), input));
    }
    List<String> refused = new ArrayList<>();
    for (JsonNode validation : vap.get("validations")) {
      if (!(Boolean) eval(validation.get("expression").asText(), input)) {
        refused.add((String) eval(validation.get("messageExpression").asText(), input));
      }
    }
    return refused;
  }

  static Object eval(String expression, Map<String, Object> input) throws Exception {
    return RUNTIME.createProgram(COMPILER.compile(expression).getAst()).eval(input);
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> toMap(String yaml) throws Exception {
    return YAML.readValue(yaml, Map.class);
  }

  static final String ALLOWED = """
      {image: {repository: registry.example.com/ml/team/env},
       baseImage: "registry.example.com/base/python@sha256:%s",
       variants: [{name: default}, {name: dev, groups: [dev], extras: [cli]}]}
      """.formatted("a".repeat(64));

  @Test
  void anAllowedSpecIsAdmitted() throws Exception {
    assertThat(admit("{team: ds}", ALLOWED)).isEmpty();
    // no base image: the operator's default is checked by the operator, not at admission
    assertThat(admit("{team: ds}", "{image: {repository: registry.example.com/ml}}")).isEmpty();
  }

  @Test
  void eachSpecRuleRefusesWhatItForbids() throws Exception {
    assertThat(admit("{team: ds}", ALLOWED.replace("registry.example.com/ml/team", "registry.example.com/ml-x")))
        .containsExactly("EnvironmentPolicy data-science: spec.image.repository registry.example.com/ml-x/env is"
            + " not one of the allowed image repositories");
    assertThat(admit("{team: ds}", ALLOWED.replace("registry.example.com/base/", "docker.io/library/")))
        .containsExactly("EnvironmentPolicy data-science: spec.baseImage docker.io/library/python@sha256:"
            + "a".repeat(64) + " does not start with an allowed prefix");
    assertThat(admit("{team: ds}", ALLOWED.replace("@sha256:" + "a".repeat(64), ":3.12")))
        .containsExactly("EnvironmentPolicy data-science: spec.baseImage must be pinned by digest (@sha256:...)");
    assertThat(admit("{team: ds}", ALLOWED.replace("groups: [dev]", "groups: [dev, exp]")))
        .containsExactly("EnvironmentPolicy data-science: a variant selects a forbidden group (exp)");
    assertThat(admit("{team: ds}", ALLOWED.replace("extras: [cli]", "extras: [gpu]")))
        .containsExactly("EnvironmentPolicy data-science: a variant selects a forbidden extra (gpu)");
  }

  @Test
  void namespacesThePolicyDoesNotSelectAreNotChecked() throws Exception {
    String refused = ALLOWED.replace("groups: [dev]", "groups: [exp]");
    assertThat(admit("{team: ds}", refused)).hasSize(1);
    assertThat(admit("{team: other}", refused)).isEmpty();
    assertThat(admit("{}", refused)).isEmpty();
    assertThat(admit("{team: ds, tier: sandbox}", refused)).isEmpty();
    assertThat(admit("{team: ds, tier: prod}", refused)).hasSize(1);
  }
}
