package dev.envforge.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class DebianPackagesTest {
  // binary name, name, version, status, Pre-Depends, Depends, Provides: as dpkg-query prints QUERY_FORMAT
  private static final String STATUS = String.join("\n",
      "python3\tpython3\t3.11.2-1+b1\tii \tpython3-minimal (= 3.11.2-1+b1)\tpython3.11 (>= 3.11.2-1~), "
          + "libpython3-stdlib (= 3.11.2-1+b1)\tpython3-profiler",
      "python3-minimal\tpython3-minimal\t3.11.2-1+b1\tii \t\tdpkg (>= 1.13.20)\t",
      "python3.11\tpython3.11\t3.11.2-6\tii \t\tmime-support | media-types, libc6:any\t",
      "libpython3-stdlib:amd64\tlibpython3-stdlib\t3.11.2-1+b1\tii \t\tlibpython3.11-stdlib\t",
      "libpython3.11-stdlib:amd64\tlibpython3.11-stdlib\t3.11.2-6\tii \t\tlibc6 (>= 2.34), awk\t",
      "media-types\tmedia-types\t10.0.0\tii \t\t\t",
      "mime-support\tmime-support\t3.66\trc \t\t\t",
      "mawk\tmawk\t1.3.4\tii \t\tlibc6 (>= 2.29)\tawk",
      "libc6:amd64\tlibc6\t2.36-9\tii \t\tlibgcc-s1\t",
      "libgcc-s1:amd64\tlibgcc-s1\t12.2.0-14\tii \t\tlibc6 (>= 2.35)\t",
      "dpkg\tdpkg\t1.21.22\tii \ttar (>= 1.28-1)\t\t",
      "tar\ttar\t1.34\tii \t\t\t",
      "unrelated\tunrelated\t1.0\tii \t\tlibc6\t") + "\n";

  @Test
  void closureFollowsDependsPreDependsAlternativesAndVirtualPackages() {
    DebianPackages packages = DebianPackages.parseStatus(STATUS);

    List<DebianPackages.InstalledPackage> closure = packages.closure(List.of("python3"));

    assertThat(closure).extracting(DebianPackages.InstalledPackage::name).containsExactly(
        "dpkg", "libc6", "libgcc-s1", "libpython3-stdlib", "libpython3.11-stdlib", "mawk", "media-types",
        "python3", "python3-minimal", "python3.11", "tar");
    assertThat(closure).filteredOn(p -> p.name().equals("libc6"))
        .containsExactly(new DebianPackages.InstalledPackage("libc6", "libc6:amd64", "2.36-9"));
  }

  @Test
  void packagesThatAreNotFullyInstalledDoNotCount() {
    DebianPackages packages = DebianPackages.parseStatus(STATUS);

    assertThat(packages.isInstalled("mime-support")).isFalse();
    assertThat(packages.isInstalled("media-types")).isTrue();
    assertThat(packages.find("python3")).map(DebianPackages.InstalledPackage::version).contains("3.11.2-1+b1");
  }

  @Test
  void unsatisfiedDependencyIsNamed() {
    DebianPackages packages = DebianPackages.parseStatus(
        "a\ta\t1\tii \t\tmissing-lib (>= 2) | other-missing\t\n");

    assertThatThrownBy(() -> packages.closure(List.of("a")))
        .hasMessageContaining("a depends on 'missing-lib (>= 2) | other-missing'");
    assertThatThrownBy(() -> packages.closure(List.of("b"))).hasMessageContaining("b is not installed");
  }

  @Test
  void upstreamAndMinorVersionsOfDebianVersions() {
    assertThat(LocalPythonBaseImage.debianUpstreamVersion("3.11.2-6+deb12u6")).isEqualTo("3.11.2");
    assertThat(LocalPythonBaseImage.debianUpstreamVersion("1:2.3-4-5")).isEqualTo("2.3-4");
    assertThat(LocalPythonBaseImage.debianUpstreamVersion("3.12.3")).isEqualTo("3.12.3");
    assertThat(LocalPythonBaseImage.minorVersion("3.11.2")).isEqualTo("3.11");
  }

  @Test
  void recipeChangesWithAnyPackageVersion() {
    List<DebianPackages.InstalledPackage> closure = List.of(
        new DebianPackages.InstalledPackage("python3", "python3", "3.11.2-1"));
    List<DebianPackages.InstalledPackage> upgraded = List.of(
        new DebianPackages.InstalledPackage("python3", "python3", "3.11.2-2"));

    assertThat(LocalPythonBaseImage.recipe(closure, "3.11")).isEqualTo(LocalPythonBaseImage.recipe(closure, "3.11"))
        .isNotEqualTo(LocalPythonBaseImage.recipe(upgraded, "3.11"));
  }
}
