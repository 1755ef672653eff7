package dev.envforge.core.lock;

import static org.assertj.core.api.Assertions.assertThat;

import dev.envforge.core.hash.PlanHasher;
import dev.envforge.core.lock.conda.CondaResolver;
import dev.envforge.core.lock.poetry.PoetryResolver;
import dev.envforge.core.lock.pylock.PylockResolver;
import dev.envforge.core.lock.requirements.RequirementsResolver;
import dev.envforge.core.lock.support.ExpectedAnswers;
import dev.envforge.core.lock.support.ExpectedAnswers.Answer;
import dev.envforge.core.lock.uv.UvResolver;
import dev.envforge.core.pep.PackageNames;
import dev.envforge.core.plan.InstallPlan;
import dev.envforge.core.plan.PlanJson;
import dev.envforge.core.plan.PlannedPackage;
import dev.envforge.core.plan.Selection;
import dev.envforge.core.plan.Target;
import dev.envforge.core.recipe.BuildRecipe;
import dev.envforge.core.recipe.Installer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Which packages of a plan the project asks for itself, on the real locks of the corpus. */
class RequestedPackagesTest {
  static final Target PY312 = new Target("3.12.3", Target.DEFAULT_PLATFORM);
  static final BuildRecipe RECIPE = new BuildRecipe(BuildRecipe.defaultBaseImage("3.12.3"), "3.12.3",
      Target.DEFAULT_PLATFORM, Installer.UV);

  static ProjectFiles files(String caseName) {
    return ProjectFiles.of(ExpectedAnswers.caseFolder(caseName));
  }

  static Set<String> names(InstallPlan plan) {
    return plan.packages().stream().map(PlannedPackage::name).collect(Collectors.toCollection(TreeSet::new));
  }

  static Set<String> requested(InstallPlan plan) {
    return plan.packages().stream().filter(plan::isRequested).map(PlannedPackage::name)
        .collect(Collectors.toCollection(TreeSet::new));
  }

  /**
   * The names a pip-compile input file lists: one requirement a line, comments and options left out; a {@code -r}
   * of another input file adds that file's names.
   */
  static Set<String> namesOfInputFile(Path in) throws IOException {
    Set<String> names = new TreeSet<>();
    for (String line : Files.readAllLines(in)) {
      String text = line.replaceFirst("#.*", "").trim();
      if (text.startsWith("-r ")) {
        // an included compiled file stands for the input it was compiled from
        names.addAll(namesOfInputFile(in.resolveSibling(text.substring(3).trim().replaceFirst("\\.txt$", ".in"))));
      } else if (!text.isEmpty() && !text.startsWith("-")) {
        names.add(PackageNames.normalize(text.split("[\\s=<>!~;\\[]", 2)[0]));
      }
    }
    return names;
  }

  static List<Answer> requirementsAnswers() {
    return ExpectedAnswers.forCases("requirements-");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("requirementsAnswers")
  void requirementsFilesRequestWhatTheirInputFileNames(Answer answer) throws IOException {
    String file = answer.json().get("selection").get("file").asText();
    InstallPlan plan = new RequirementsResolver(file).resolve(answer.files(), answer.selection(),
        new Target(answer.python(), Target.DEFAULT_PLATFORM));
    Set<String> input = namesOfInputFile(ExpectedAnswers.caseFolder(answer.caseName())
        .resolve(file.replaceFirst("\\.txt$", ".in")));
    input.retainAll(names(plan));

    assertThat(plan.marksRequested()).isTrue();
    assertThat(requested(plan)).isNotEmpty().isEqualTo(input);
    assertThat(requested(plan)).hasSizeLessThan(plan.packages().size());
  }

  @Test
  void aRequirementsFileWithoutViaCommentsRequestsEveryPin() {
    ProjectFiles files = ProjectFiles.of(Map.of("requirements.txt", "alpha==1.0\nbeta==2.0 ; python_version < '3'\n"
        + "gamma==3.0\n    # via alpha\n"), "");
    InstallPlan plan = new RequirementsResolver().resolve(files, Selection.MAIN, PY312);
    assertThat(names(plan)).containsExactly("alpha", "gamma");
    assertThat(requested(plan)).containsExactly("alpha");
  }

  @Test
  void viaListsOverSeveralLinesAndUvStyleAreRead() {
    ProjectFiles files = ProjectFiles.of(Map.of("requirements.txt", """
        # uv pip compile requirements.in
        alpha==1.0 \\
            --hash=sha256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa
            # via
            #   -r requirements.in
            #   beta
        beta==2.0
            # via -r requirements.in
        gamma==3.0
            # via
            #   alpha
            #   beta
        delta==4.0
            # via -c constraints.txt
        """), "");
    InstallPlan plan = new RequirementsResolver().resolve(files, Selection.MAIN, PY312);
    assertThat(requested(plan)).containsExactly("alpha", "beta");
  }

  @Test
  void poetryRequestsTheProjectsDependenciesAndThoseOfTheSelectedGroups() {
    PoetryResolver resolver = new PoetryResolver();
    InstallPlan main = resolver.resolve(files("poetry-python-poetry-poetry"), Selection.MAIN, PY312);
    InstallPlan test = resolver.resolve(files("poetry-python-poetry-poetry"),
        new Selection(List.of("test"), List.of()), PY312);

    assertThat(requested(main)).contains("build", "cleo", "dulwich", "requests", "virtualenv", "pbs-installer")
        .doesNotContain("certifi", "urllib3", "idna", "pytest")
        // markers decide on the target: tomli is asked for below Python 3.11 only, xattr on macOS only
        .doesNotContain("tomli", "xattr");
    assertThat(names(main)).contains("certifi", "urllib3");
    assertThat(requested(test)).containsAll(requested(main)).contains("pytest", "pytest-mock");
  }

  @Test
  void uvRequestsTheRootsEdgesForTheSelection() {
    UvResolver resolver = new UvResolver();
    InstallPlan main = resolver.resolve(files("uv-langchain-ai-langgraph"), Selection.MAIN, PY312);
    InstallPlan lint = resolver.resolve(files("uv-langchain-ai-langgraph"),
        new Selection(List.of("lint"), List.of()), PY312);

    // langgraph-checkpoint, also asked for, is a workspace member: local, so not installed and not marked
    assertThat(main.localSkipped()).contains("langgraph-checkpoint");
    assertThat(requested(main)).containsExactly("langchain-core");
    assertThat(names(main)).hasSizeGreaterThan(2);
    assertThat(requested(lint)).containsExactly("codespell", "langchain-core", "ruff", "ty");
  }

  @Test
  void formatsThatDoNotSayMarkNothing() {
    Answer pylock = ExpectedAnswers.forCases("pylock-pdm-project-pdm").get(0);
    InstallPlan plan = new PylockResolver().resolve(pylock.files(), pylock.selection(),
        new Target(pylock.python(), Target.DEFAULT_PLATFORM));
    assertThat(plan.marksRequested()).isFalse();
    assertThat(plan.requestedCount()).isEqualTo(-1);
    assertThat(requested(plan)).isEmpty();
    assertThat(PlanJson.toJson(plan).get("requested").isNull()).isTrue();
  }

  @Test
  void theMarkIsNoInputOfTheHash() {
    InstallPlan plan = new PoetryResolver().resolve(files("poetry-python-poetry-poetry"), Selection.MAIN, PY312);
    InstallPlan unmarked = new InstallPlan(plan.format(), plan.selection(), plan.environment(), plan.packages(),
        plan.localSkipped());
    InstallPlan allMarked = plan.withRequested(names(plan));
    assertThat(requested(plan)).isNotEmpty().isNotEqualTo(names(plan));

    String hash = PlanHasher.hash(plan, RECIPE).hex();
    assertThat(PlanHasher.hash(unmarked, RECIPE).hex()).isEqualTo(hash);
    assertThat(PlanHasher.hash(allMarked, RECIPE).hex()).isEqualTo(hash);
  }

  @Test
  void theJsonListsRequestedPackagesBesideTheReferenceSchema() {
    InstallPlan plan = new UvResolver().resolve(files("uv-langchain-ai-langgraph"), Selection.MAIN, PY312);
    var json = PlanJson.toJson(plan);
    assertThat(json.get("requested").toString()).isEqualTo("[\"langchain-core\"]");
    json.get("packages").forEach(p -> assertThat(p.has("requested")).isFalse());
  }

  @Test
  void condaIsNotMarked() {
    Answer conda = ExpectedAnswers.forCases("conda-conda-conda-lock-2").get(0);
    assertThat(conda.files().read("environment.yml")).isPresent();
    List<String> categories = new java.util.ArrayList<>();
    conda.json().get("selection").path("categories").forEach(c -> categories.add(c.asText()));
    InstallPlan plan = new CondaResolver().resolve(conda.files(), new Selection(categories, List.of()),
        Target.DEFAULT);
    assertThat(plan.marksRequested()).isFalse();
  }
}
