package dev.envforge.core.pep;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Every PEP 440 operator on versions made of every combination of release, pre, post, dev and local segments, against
 * candidates made the same way, agrees with the 'packaging' library in all three pre-release modes
 * ({@code pep/specifier-matrix.txt}, written by {@code pep/make_specifier_matrix.py}, which states the modes).
 */
class SpecifierMatrixTest {
  private static final int ALLOWING_PRERELEASES = 1;
  private static final int NAMED_PRERELEASES = 2;
  private static final int DEFAULT_FILTER = 4;

  @Test
  void agreesWithPackagingOnEveryCombination() {
    List<String> rows = CorpusStringsTest.lines("specifier-matrix.txt");
    assertThat(rows.get(0)).startsWith("# written by make_specifier_matrix.py with packaging 26.");
    String[] header = rows.get(1).split("\t", -1);
    assertThat(header[0]).isEqualTo("candidates");
    String[] candidateTexts = header[1].split(" ");
    List<Version> candidates = new ArrayList<>();
    for (String text : candidateTexts) {
      candidates.add(Version.parse(text));
    }
    List<String> mismatches = new ArrayList<>();
    int compared = 0;
    int refused = 0;
    for (String row : rows.subList(2, rows.size())) {
      String[] cols = row.split("\t", -1);
      String spec = cols[0];
      SpecifierConstraint constraint;
      try {
        constraint = SpecifierConstraint.parsePep440(spec);
      } catch (PepSyntaxException e) {
        if (!cols[1].equals("invalid")) {
          mismatches.add(spec + ": refused (" + e.getMessage() + "), packaging accepts it");
        }
        refused++;
        continue;
      }
      if (cols[1].equals("invalid")) {
        mismatches.add(spec + ": accepted, packaging refuses it");
        continue;
      }
      assertThat(cols[1]).as(spec).hasSize(candidates.size());
      for (int i = 0; i < candidates.size(); i++) {
        Version candidate = candidates.get(i);
        int expected = cols[1].charAt(i) - '0';
        int actual = (constraint.containsAllowingPrereleases(candidate) ? ALLOWING_PRERELEASES : 0)
            | (constraint.contains(candidate) ? NAMED_PRERELEASES : 0)
            | (constraint.filter(List.of(candidate)).isEmpty() ? 0 : DEFAULT_FILTER);
        if (actual != expected) {
          mismatches.add(spec + " on " + candidateTexts[i] + ": " + actual + ", packaging " + expected);
        }
        compared++;
      }
    }
    assertThat(mismatches).as("%d mismatches", mismatches.size()).isEmpty();
    assertThat(compared).isGreaterThan(300_000);
    assertThat(refused).isGreaterThan(50);
  }
}
