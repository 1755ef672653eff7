package dev.envforge.core.assemble;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class LayerPlanTest {
  static List<LayerPlan.Package> packages(int count) {
    return IntStream.range(0, count).mapToObj(i -> new LayerPlan.Package("pkg-" + i, 1000L + i * 7919L % 100_000))
        .collect(Collectors.toCollection(ArrayList::new));
  }

  @Test
  void threeHundredPackagesFitInAHundredLayersWithTheBase() {
    for (int base : new int[] {1, 5, 20, 40}) {
      List<LayerPlan.Layer> layers = LayerPlan.plan(packages(300), base);
      assertThat(base + LayerPlan.OWN_LAYERS + layers.size()).isLessThanOrEqualTo(LayerPlan.MAX_LAYERS);
      assertThat(layers.stream().mapToInt(l -> l.packages().size()).sum()).isEqualTo(300);
    }
  }

  @Test
  void everyPackageGetsItsOwnLayerWhenTheyFit() {
    List<LayerPlan.Layer> layers = LayerPlan.plan(packages(97), 1);
    assertThat(layers).hasSize(97).allMatch(l -> !l.isBucket());
  }

  @Test
  void aChangeOfOneSmallPackageChangesOneBucketOnly() {
    List<LayerPlan.Package> before = packages(300);
    List<LayerPlan.Package> after = new ArrayList<>(before);
    after.set(0, new LayerPlan.Package("pkg-0", before.get(0).wheelSize() + 1));
    Set<List<String>> a = LayerPlan.plan(before, 3).stream()
        .map(l -> l.packages().stream().map(LayerPlan.Package::name).toList()).collect(Collectors.toSet());
    Set<List<String>> b = LayerPlan.plan(after, 3).stream()
        .map(l -> l.packages().stream().map(LayerPlan.Package::name).toList()).collect(Collectors.toSet());
    assertThat(a).isEqualTo(b);
  }

  @Test
  void aBaseWithTooManyLayersIsRefusedWithTheLimit() {
    assertThatThrownBy(() -> LayerPlan.plan(packages(300), 90))
        .hasMessageContaining("the base image has 90 layers").hasMessageContaining("100 layers");
  }

  @Test
  void layerKeysDependOnEveryInput() {
    String sha = "ab".repeat(32);
    LayerKey key = LayerKey.of(List.of(sha), VenvLayout.standard("3.12"));
    assertThat(LayerKey.of(List.of(sha), VenvLayout.standard("3.12"))).isEqualTo(key);
    assertThat(LayerKey.of(List.of("cd".repeat(32)), VenvLayout.standard("3.12"))).isNotEqualTo(key);
    assertThat(LayerKey.of(List.of(sha), VenvLayout.standard("3.11"))).isNotEqualTo(key);
    assertThat(LayerKey.of(List.of(sha), new VenvLayout("/opt/other", "3.12", "envforge"))).isNotEqualTo(key);
    assertThat(key.tag()).matches("layer-[0-9a-f]{64}");
  }
}
