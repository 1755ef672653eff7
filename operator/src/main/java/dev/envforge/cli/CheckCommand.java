package dev.envforge.cli;

import dev.envforge.api.v1alpha1.PythonEnvironmentSpec;
import dev.envforge.core.lock.LockFormat;
import dev.envforge.core.lock.LockFormats;
import dev.envforge.core.lock.ProjectFiles;
import dev.envforge.core.planner.EnvironmentPlanner;
import dev.envforge.core.planner.VariantPlan;
import dev.envforge.core.planner.VariantRequest;
import dev.envforge.core.policy.Policy;
import dev.envforge.core.policy.PolicyEngine;
import dev.envforge.core.policy.PolicyReader;
import dev.envforge.core.policy.PolicySubject;
import dev.envforge.core.policy.PolicySubject.VariantSubject;
import dev.envforge.core.policy.ProjectPositions;
import dev.envforge.core.policy.Violation;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "check", mixinStandardHelpOptions = true,
    description = "Applies EnvironmentPolicies to a local project, as the operator does: prints every violation"
        + " (FILE:LINE:COLUMN where it comes from a line of the lock or pyproject) and exits 1 when there is one.")
final class CheckCommand implements Callable<Integer> {
  /** At least one policy is broken. */
  static final int EXIT_VIOLATIONS = Main.EXIT_CHECK_FAILED;

  @Mixin ProjectOptions project;
  @Mixin RecipeOptions recipe;

  @Option(names = "--policy", required = true, paramLabel = "FILE",
      description = "A YAML file with one or more EnvironmentPolicy manifests (other documents are skipped);"
          + " repeat for more files. Every policy applies.")
  List<Path> policyFiles;

  @Option(names = "--image-repository", paramLabel = "REPOSITORY",
      description = "The repository images would be pushed to, for allowedImageRepositories.")
  String imageRepository;

  @Option(names = "--json", description = "Print one JSON object: {\"policies\", \"complies\", \"violations\":"
      + " [{\"policy\", \"rule\", \"variant\", \"package\", \"file\", \"line\", \"column\", \"message\"}]}.")
  boolean json;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws IOException {
    List<Policy> policies = new ArrayList<>();
    for (Path file : policyFiles) {
      if (!Files.isRegularFile(file)) {
        throw new IllegalArgumentException(file + ": no such file");
      }
      policies.addAll(PolicyReader.readYaml(file.toString(), Files.readString(file, StandardCharsets.UTF_8)));
    }
    if (policies.isEmpty()) {
      throw new IllegalArgumentException(policyFiles + ": no EnvironmentPolicy in the file");
    }
    if (project.manifest != null) {
      return report(evaluateManifest(policies, project.manifestPlanning(recipe), project.variant), policies);
    }
    ProjectFiles files = project.files();
    VariantPlan plan = EnvironmentPlanner.plan(files, project.planningRequest(recipe), project.variantRequest(),
        project.lockFile);
    return report(evaluate(policies, files, plan, project, imageRepository), policies);
  }

  private int report(List<Violation> violations, List<Policy> policies) throws IOException {
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      Map<String, Object> document = new LinkedHashMap<>();
      document.put("policies", policies.stream().map(Policy::name).toList());
      document.put("complies", violations.isEmpty());
      List<Map<String, Object>> list = new ArrayList<>();
      for (Violation v : violations) {
        Map<String, Object> item = new LinkedHashMap<>();
        item.put("policy", v.policy());
        item.put("rule", v.rule());
        item.put("variant", v.variant());
        item.put("package", v.packageName());
        item.put("file", v.position() == null ? null : v.position().file());
        item.put("line", v.position() == null ? null : v.position().line());
        item.put("column", v.position() == null ? null : v.position().column());
        item.put("message", v.withoutPosition());
        list.add(item);
      }
      document.put("violations", list);
      out.println(JsonOutput.write(document));
      out.flush();
      return violations.isEmpty() ? 0 : EXIT_VIOLATIONS;
    }
    violations.forEach(out::println);
    out.println(violations.isEmpty()
        ? "complies with " + String.join(", ", policies.stream().map(Policy::name).toList())
        : "# " + violations.size() + " violation" + (violations.size() == 1 ? "" : "s"));
    out.flush();
    return violations.isEmpty() ? 0 : EXIT_VIOLATIONS;
  }

  /**
   * A manifest is checked as the operator checks the resource: every variant (or the one --variant names), its
   * image repository, and positions in its project files.
   */
  static List<Violation> evaluateManifest(List<Policy> policies, ManifestPlanning planning, String variantName) {
    List<VariantRequest> requests = variantName == null ? planning.variants()
        : List.of(planning.variant(variantName));
    List<VariantSubject> variants = new ArrayList<>();
    for (VariantRequest request : requests) {
      VariantPlan plan = planning.plan(request);
      variants.add(new VariantSubject(plan.variant(), request.selection(), plan.recipe().baseImage(), plan.plan(),
          request.runtimeGroups(), planning.runtime(request, plan).packages()));
    }
    PythonEnvironmentSpec spec = planning.manifest().resource().getSpec();
    String repository = spec.getImage() == null ? null : spec.getImage().getRepository();
    return PolicyEngine.evaluate(policies, new PolicySubject(repository, variants,
        new ProjectPositions(planning.files(), planning.format(), null)));
  }

  static List<Violation> evaluate(List<Policy> policies, ProjectFiles files, VariantPlan plan,
      ProjectOptions project, String imageRepository) {
    LockFormat format = plan.plan().format();
    String lockPath = project.lockFile != null ? project.lockFile : LockFormats.detect(files, format).lockFile();
    PolicySubject subject = new PolicySubject(imageRepository, List.of(new VariantSubject(plan.variant(),
        project.variantRequest().selection(), plan.recipe().baseImage(), plan.plan())),
        new ProjectPositions(files, format, lockPath));
    return PolicyEngine.evaluate(policies, subject);
  }
}
