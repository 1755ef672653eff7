package dev.envforge.core.assemble;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.envforge.core.plan.Artifact;
import dev.envforge.core.plan.PlannedPackage;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The wheel {@link WheelChoice} picks is the one pip picks: for packages offered as wheels of many tags (CPython ABI,
 * abi3, manylinux levels old and too new, musllinux, plain linux, pure, other platforms), {@code pip install --dry-run
 * --report} on this machine's python3 (in a venv, as the Kaniko recipe installs) chooses the same file, and a package
 * with no wheel for this machine is refused by both.
 */
class SameWheelAsPipIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void everyPackageGetsTheWheelPipPicks(@TempDir Path work) throws Exception {
    Assumptions.assumeTrue(Processes.available("python3"), "python3 is not installed");
    String host;
    try {
      host = Processes.run(work, "python3", "-c", "import platform, sys, pip; print(platform.python_version(),"
          + " platform.machine(), platform.libc_ver()[1])").strip();
    } catch (IOException e) {
      Assumptions.abort("python3-pip is not installed: " + e.getMessage());
      return;
    }
    String[] facts = host.split(" ");
    Assumptions.assumeTrue(facts.length == 3 && facts[2].startsWith("2."), "not a glibc system: " + host);
    WheelChoice.Interpreter interpreter = new WheelChoice.Interpreter(facts[0], facts[1],
        Integer.parseInt(facts[2].split("\\.")[1]));
    String cp = "cp3" + interpreter.minor();
    String arch = facts[1];
    String older = "cp3" + (interpreter.minor() - 1);
    String newer = "cp3" + (interpreter.minor() + 1);
    String tooNewGlibc = "manylinux_2_" + (interpreter.glibcMinor() + 1) + "_" + arch;

    Map<String, List<String>> offers = new LinkedHashMap<>();
    offers.put("newest-manylinux", List.of("py3-none-any", cp + "-" + cp + "-manylinux_2_17_" + arch
        + ".manylinux2014_" + arch, cp + "-" + cp + "-manylinux_2_28_" + arch, cp + "-" + cp + "-" + tooNewGlibc));
    offers.put("abi3-over-pure", List.of("py3-none-any", "cp38-abi3-manylinux_2_17_" + arch,
        cp + "-" + cp + "-musllinux_1_1_" + arch));
    offers.put("pure-when-glibc-too-old", List.of("py3-none-any", cp + "-" + cp + "-" + tooNewGlibc,
        newer + "-" + newer + "-manylinux_2_17_" + arch));
    offers.put("plain-linux", List.of("py2.py3-none-any", cp + "-" + cp + "-linux_" + arch,
        older + "-" + older + "-manylinux_2_17_" + arch));
    offers.put("interpreter-specific-pure", List.of("py3-none-any", cp + "-none-any", "py2-none-any"));
    offers.put("abi-before-abi3", List.of(older + "-abi3-manylinux_2_28_" + arch,
        cp + "-" + cp + "-manylinux_2_5_" + arch + ".manylinux1_" + arch));
    offers.put("no-wheel-for-this-machine", List.of(cp + "-" + cp + "-win_amd64", cp + "-" + cp
        + "-macosx_11_0_arm64", cp + "-" + cp + "-musllinux_1_2_" + arch));

    Path links = Files.createDirectories(work.resolve("links"));
    List<PlannedPackage> packages = new ArrayList<>();
    for (Map.Entry<String, List<String>> offer : offers.entrySet()) {
      String name = offer.getKey();
      String distribution = name.replace('-', '_');
      // one valid wheel's bytes under every name: pip reads the metadata of the file it picks, not its tags
      Path built = JavaWheels.small(Files.createDirectories(work.resolve("built")), distribution, "1.0", name);
      List<Artifact> artifacts = new ArrayList<>();
      for (String tag : offer.getValue()) {
        String filename = distribution + "-1.0-" + tag + ".whl";
        Files.copy(built, links.resolve(filename));
        artifacts.add(new Artifact(filename, "https://files.example/" + filename,
            "sha256:" + WheelInstaller.sha256Hex(built)));
      }
      packages.add(PlannedPackage.python(name, "1.0", null, artifacts));
    }

    Path venv = work.resolve("venv");
    Processes.run(work, "python3", "-m", "venv", "--without-pip", venv.toString());
    Map<String, String> pips = pipChoices(work, venv, links, packages.stream().map(PlannedPackage::name).toList());
    for (PlannedPackage pkg : packages) {
      WheelChoice.Choice ours = WheelChoice.choose(pkg, interpreter);
      assertThat(ours.isAssemblable() ? ours.wheel().filename() : null).as("%s among %s", pkg.name(),
          pkg.artifacts().stream().map(Artifact::filename).toList()).isEqualTo(pips.get(pkg.name()));
    }
    assertThat(pips.values()).as("pip installs some and refuses one").containsNull().hasSize(offers.size());
  }

  /**
   * The file name pip would install for each package, or null when it finds no installable file: one dry run of all
   * of them, again without each package pip names as having no matching distribution.
   */
  private static Map<String, String> pipChoices(Path work, Path venv, Path links, List<String> names)
      throws Exception {
    Map<String, String> choices = new LinkedHashMap<>();
    List<String> left = new ArrayList<>(names);
    Path report = work.resolve("report.json");
    while (!left.isEmpty()) {
      List<String> command = new ArrayList<>(List.of("python3", "-m", "pip", "--python",
          venv.resolve("bin/python").toString(), "install", "--dry-run", "--report", report.toString(), "--no-deps",
          "--no-index", "--find-links", links.toString(), "--disable-pip-version-check", "--quiet"));
      left.forEach(name -> command.add(name + "==1.0"));
      try {
        Processes.run(work, command.toArray(String[]::new));
      } catch (IOException e) {
        java.util.regex.Matcher refused = java.util.regex.Pattern
            .compile("No matching distribution found for ([A-Za-z0-9._-]+)==1\\.0").matcher(e.getMessage());
        assertThat(refused.find()).as(e.getMessage()).isTrue();
        String name = refused.group(1);
        assertThat(left.remove(name)).as("pip refused %s, which was not asked for", name).isTrue();
        choices.put(name, null);
        continue;
      }
      for (JsonNode install : JSON.readTree(report.toFile()).path("install")) {
        String url = install.at("/download_info/url").asText();
        choices.put(install.at("/metadata/name").asText().replace('_', '-'),
            URLDecoder.decode(url.substring(url.lastIndexOf('/') + 1), StandardCharsets.UTF_8));
      }
      break;
    }
    return choices;
  }
}
