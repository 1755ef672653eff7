package dev.envforge.core.lock.poetry;

import dev.envforge.core.lock.poetry.PoetryLock.ExtraItem;
import dev.envforge.core.lock.poetry.PoetryLock.LockedPackage;
import dev.envforge.core.pep.MarkerEnvironment;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Walks the dependency graph of a poetry.lock from the project's root edges and finds the locked entries a target
 * installs.
 *
 * <p>An edge is taken when its marker holds; {@code extra} is the set of extras requested of the package whose
 * dependency list is read (of the root project, for root edges). An optional dependency is taken only through a
 * requested extra whose {@code [package.extras]} list names it. When a name is locked more than once, the entry is
 * narrowed by the edge's source, direct reference, version constraint and the entries' own markers; if several still
 * remain, the highest version that satisfies every taken edge into that name is chosen, and the walk is repeated
 * until the choice is stable.
 */
final class PoetryWalk {
  private static final int MAX_ROUNDS = 50;

  private final PoetryProject project;
  private final PoetryLock lock;
  private final MarkerEnvironment environment;
  private final Map<PoetryDependency, List<LockedPackage>> narrowed = new IdentityHashMap<>();

  PoetryWalk(PoetryProject project, PoetryLock lock, MarkerEnvironment environment) {
    this.project = project;
    this.lock = lock;
    this.environment = environment;
  }

  /** The entries reached from {@code roots} with the root extras {@code extras}, in lock order. */
  List<LockedPackage> run(List<PoetryDependency> roots, Set<String> extras) {
    Map<String, LockedPackage> picks = new HashMap<>();
    Round round = null;
    for (int k = 0; k < MAX_ROUNDS; k++) {
      round = new Round(picks);
      round.walk(roots, extras);
      Map<String, LockedPackage> next = round.picks();
      if (samePicks(next, picks)) {
        break;
      }
      picks = next;
    }
    List<LockedPackage> reached = new ArrayList<>();
    for (LockedPackage p : lock.packages()) {
      if (round.requested[p.index()] != null) {
        reached.add(p);
      }
    }
    return reached;
  }

  /** Whether two rounds picked the same entries; entries of one lock are compared by identity, not field by field. */
  private static boolean samePicks(Map<String, LockedPackage> a, Map<String, LockedPackage> b) {
    if (a.size() != b.size()) {
      return false;
    }
    for (Map.Entry<String, LockedPackage> entry : a.entrySet()) {
      if (b.get(entry.getKey()) != entry.getValue()) {
        return false;
      }
    }
    return true;
  }

  /** One walk of the graph with fixed choices for names that stay ambiguous. */
  private final class Round {
    private final Map<String, LockedPackage> picks;
    /** Extras requested of each reached entry, by lock index; null when not reached. */
    private final Set<String>[] requested;
    private final ArrayDeque<LockedPackage> queue = new ArrayDeque<>();
    /** Taken edges into each name that is locked more than once. */
    private final Map<String, List<PoetryDependency>> takenInto = new HashMap<>();
    private final Set<String> rootExtras = new HashSet<>();
    private final List<PoetryDependency> rootEdges = new ArrayList<>();
    private boolean rootExtrasGrew;

    @SuppressWarnings({"unchecked", "rawtypes"}) // an array of sets, indexed by lock position
    Round(Map<String, LockedPackage> picks) {
      this.picks = picks;
      this.requested = new Set[lock.packages().size()];
    }

    void walk(List<PoetryDependency> roots, Set<String> extras) {
      rootEdges.addAll(roots);
      rootExtras.addAll(extras);
      do {
        rootExtrasGrew = false;
        // root edges are evaluated again whenever the root gains extras (a dependency on the project itself)
        for (PoetryDependency edge : List.copyOf(rootEdges)) {
          if (edge.applies(environment, rootExtras)) {
            take(edge, edge.extras());
          }
        }
        while (!queue.isEmpty()) {
          visit(queue.poll());
        }
      } while (rootExtrasGrew);
    }

    private void visit(LockedPackage p) {
      Set<String> extras = requested[p.index()];
      for (PoetryDependency d : p.dependencies()) {
        if (!d.optional()) {
          if (d.applies(environment, extras)) {
            take(d, d.extras());
          }
          continue;
        }
        Set<String> passed = extrasNaming(p, d, extras);
        if (passed != null && d.applies(environment, extras)) {
          take(d, passed);
        }
      }
    }

    /**
     * For an optional dependency: null unless a requested extra of {@code p} names it (with a true marker); else the
     * extras to request of it, the entry's own and those the extra's list item writes.
     */
    private Set<String> extrasNaming(LockedPackage p, PoetryDependency d, Set<String> extras) {
      Set<String> passed = null;
      for (String extra : extras) {
        List<ExtraItem> items = p.extras().get(extra);
        if (items == null) {
          continue;
        }
        for (ExtraItem item : items) {
          if (item.name().equals(d.name())
              && (item.marker() == null || item.marker().evaluate(environment, Set.of(extra)))) {
            if (passed == null) {
              passed = new TreeSet<>(d.extras());
            }
            passed.addAll(item.extras());
          }
        }
      }
      return passed;
    }

    private void take(PoetryDependency edge, Set<String> extras) {
      if (edge.name().equals(project.rootName())) {
        // a dependency on the project itself installs nothing, but may request more of its extras
        for (String extra : extras) {
          if (rootExtras.add(extra)) {
            rootEdges.addAll(project.extras().getOrDefault(extra, List.of()));
            rootExtrasGrew = true;
          }
        }
        return;
      }
      List<LockedPackage> entries = lock.byName().get(edge.name());
      LockedPackage target;
      if (entries.size() == 1) {
        target = entries.get(0);
      } else {
        takenInto.computeIfAbsent(edge.name(), n -> new ArrayList<>()).add(edge);
        target = choose(edge, entries);
      }
      Set<String> have = requested[target.index()];
      if (have == null) {
        requested[target.index()] = new HashSet<>(extras);
        queue.add(target);
      } else if (!have.containsAll(extras)) {
        have.addAll(extras);
        queue.add(target);
      }
    }

    private LockedPackage choose(PoetryDependency edge, List<LockedPackage> entries) {
      List<LockedPackage> candidates = narrowed.computeIfAbsent(edge, e -> narrow(e, entries));
      if (candidates.size() > 1) {
        // (d) the entries' own markers (lock 2.1); their "extra" is the root project's
        List<LockedPackage> applying = new ArrayList<>(candidates.size());
        for (LockedPackage c : candidates) {
          if (c.marker() == null || c.marker().evaluate(environment, rootExtras)) {
            applying.add(c);
          }
        }
        if (!applying.isEmpty()) {
          candidates = applying;
        }
      }
      if (candidates.size() == 1) {
        return candidates.get(0);
      }
      // (e) the choice that satisfies every taken edge into the name, from the previous round
      LockedPackage pick = picks.get(edge.name());
      for (LockedPackage candidate : candidates) {
        if (candidate == pick) {
          return pick;
        }
      }
      return highest(candidates);
    }

    /** For each ambiguous name: the highest entry that satisfies every edge taken into it. */
    Map<String, LockedPackage> picks() {
      Map<String, LockedPackage> next = new HashMap<>();
      takenInto.forEach((name, edges) -> {
        List<LockedPackage> satisfying = new ArrayList<>();
        for (LockedPackage entry : lock.byName().get(name)) {
          boolean all = true;
          for (PoetryDependency edge : edges) {
            if (!edge.allows(entry.parsedVersion())) {
              all = false;
              break;
            }
          }
          if (all) {
            satisfying.add(entry);
          }
        }
        if (!satisfying.isEmpty()) {
          next.put(name, highest(satisfying));
        }
      });
      return next;
    }
  }

  /** Narrows a name's entries for one edge: (a) named source, (b) direct reference kind, (c) version constraint. */
  private static List<LockedPackage> narrow(PoetryDependency edge, List<LockedPackage> entries) {
    List<LockedPackage> candidates = entries;
    if (edge.sourceName() != null) {
      candidates = keepIfAny(candidates, p -> edge.sourceName().equalsIgnoreCase("pypi")
          ? p.source() == null
          : p.source() != null && edge.sourceName().equals(p.source().reference()));
    }
    if (candidates.size() > 1 && edge.direct() != null) {
      candidates = keepIfAny(candidates, p -> edge.direct().matches(p.sourceType()));
    }
    if (candidates.size() > 1 && !edge.constraints().isEmpty()) {
      candidates = keepIfAny(candidates, p -> edge.allows(p.parsedVersion()));
    }
    return candidates;
  }

  private static List<LockedPackage> keepIfAny(List<LockedPackage> candidates,
      java.util.function.Predicate<LockedPackage> test) {
    List<LockedPackage> kept = new ArrayList<>(candidates.size());
    for (LockedPackage p : candidates) {
      if (test.test(p)) {
        kept.add(p);
      }
    }
    return kept.isEmpty() ? candidates : kept;
  }

  /** The highest version; the first in the lock among equal versions. */
  private static LockedPackage highest(List<LockedPackage> candidates) {
    LockedPackage best = null;
    for (LockedPackage c : candidates) {
      if (best == null || c.parsedVersion().compareTo(best.parsedVersion()) > 0) {
        best = c;
      }
    }
    return best;
  }
}
