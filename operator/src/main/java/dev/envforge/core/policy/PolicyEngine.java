package dev.envforge.core.policy;

import dev.envforge.core.pep.PackageNames;
import dev.envforge.core.plan.PackageSource;
import dev.envforge.core.plan.PlannedPackage;
import dev.envforge.core.policy.PolicySubject.VariantSubject;
import dev.envforge.core.registry.ImageReference;
import dev.envforge.core.text.Texts;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Evaluates policies against a resource or a local project, as a pure function. Every policy applies and every
 * violation is returned, in a stable order: by policy name, then resource rules, then each variant in order.
 */
public final class PolicyEngine {
  public static final String ALLOWED_SOURCES = "allowedSources";
  public static final String ALLOWED_BASE_IMAGES = "allowedBaseImages";
  public static final String ALLOWED_IMAGE_REPOSITORIES = "allowedImageRepositories";
  public static final String REQUIRED_PACKAGES = "requiredPackages";
  public static final String DENIED_PACKAGES = "deniedPackages";
  public static final String FORBIDDEN_GROUPS = "forbiddenGroups";
  public static final String FORBIDDEN_EXTRAS = "forbiddenExtras";
  public static final String MAX_PACKAGES_PER_VARIANT = "maxPackagesPerVariant";
  public static final String MAX_VARIANTS_PER_RESOURCE = "maxVariantsPerResource";
  public static final String FORBID_RUNTIME_GROUPS = "forbidRuntimeGroups";

  private PolicyEngine() {}

  public static List<Violation> evaluate(List<Policy> policies, PolicySubject subject) {
    List<Violation> found = new ArrayList<>();
    List<Policy> ordered = new ArrayList<>(policies);
    ordered.sort(Comparator.comparing(Policy::name));
    for (Policy policy : ordered) {
      evaluate(policy, subject, found);
    }
    return List.copyOf(found);
  }

  private static void evaluate(Policy policy, PolicySubject subject, List<Violation> found) {
    String name = policy.name();
    PolicyRules rules = policy.rules();
    if (rules.maxVariantsPerResource() != null && subject.variants().size() > rules.maxVariantsPerResource()) {
      found.add(new Violation(name, MAX_VARIANTS_PER_RESOURCE, null, null, subject.variants().size()
          + " variants, more than the " + rules.maxVariantsPerResource() + " allowed", null));
    }
    if (rules.imageRepositories() != null && subject.imageRepository() != null
        && !matchesAny(rules.imageRepositories(), imageForms(subject.imageRepository()))) {
      found.add(new Violation(name, ALLOWED_IMAGE_REPOSITORIES, null, null, "image repository "
          + Texts.quote(subject.imageRepository()) + " is not one of " + rules.imageRepositories(), null));
    }
    for (VariantSubject variant : subject.variants()) {
      evaluateVariant(name, rules, variant, subject.positions(), found);
    }
  }

  private static void evaluateVariant(String policy, PolicyRules rules, VariantSubject variant,
      ProjectPositions positions, List<Violation> found) {
    String v = variant.name();
    if (rules.baseImages() != null && variant.baseImage() != null) {
      checkBaseImage(policy, rules.baseImages(), variant, found);
    }
    for (String group : variant.selection().groups()) {
      if (rules.forbiddenGroups().contains(group)) {
        found.add(new Violation(policy, FORBIDDEN_GROUPS, v, null, "group " + Texts.quote(group)
            + " may not be installed into an image", positions.ofGroup(group).orElse(null)));
      }
    }
    for (String extra : variant.selection().extras()) {
      boolean forbidden = rules.forbiddenExtras().stream()
          .anyMatch(f -> PackageNames.normalize(f).equals(PackageNames.normalize(extra)));
      if (forbidden) {
        found.add(new Violation(policy, FORBIDDEN_EXTRAS, v, null, "extra " + Texts.quote(extra)
            + " may not be installed into an image", positions.ofExtra(extra).orElse(null)));
      }
    }
    if (rules.forbidRuntimeGroups() && !variant.runtimeGroups().isEmpty()) {
      found.add(new Violation(policy, FORBID_RUNTIME_GROUPS, v, null, "runtime groups "
          + variant.runtimeGroups().stream().map(Texts::quote).toList() + " may not be installed when containers"
          + " start; install them into the image (groups) instead", positions.ofGroup(variant.runtimeGroups().get(0))
              .orElse(null)));
    }
    // what a container installs at start-up obeys the same package rules as the image
    for (PlannedPackage p : variant.runtimePackages()) {
      packageRules(policy, rules, v, p, positions, "runtime package ", found);
    }
    if (variant.plan() == null) {
      return;
    }
    List<PlannedPackage> packages = variant.plan().packages();
    if (rules.maxPackagesPerVariant() != null && packages.size() > rules.maxPackagesPerVariant()) {
      found.add(new Violation(policy, MAX_PACKAGES_PER_VARIANT, v, null, packages.size()
          + " packages, more than the " + rules.maxPackagesPerVariant() + " allowed", null));
    }
    for (PackageRule required : rules.requiredPackages()) {
      List<PlannedPackage> present = packages.stream().filter(p -> isNamed(p, required.name())).toList();
      if (present.isEmpty()) {
        found.add(new Violation(policy, REQUIRED_PACKAGES, v, required.name(), "required package "
            + required.display() + " is not in the plan", null));
      } else if (present.stream().noneMatch(p -> required.matches(p.version()))) {
        PlannedPackage p = present.get(0);
        found.add(new Violation(policy, REQUIRED_PACKAGES, v, p.name(), "package " + p.name() + " " + p.version()
            + " does not satisfy the required " + required.display(), at(positions, p)));
      }
    }
    for (PlannedPackage p : packages) {
      packageRules(policy, rules, v, p, positions, "package ", found);
    }
  }

  private static void packageRules(String policy, PolicyRules rules, String v, PlannedPackage p,
      ProjectPositions positions, String what, List<Violation> found) {
    for (PackageRule denied : rules.deniedPackages()) {
      if (isNamed(p, denied.name()) && denied.matches(p.version())) {
        found.add(new Violation(policy, DENIED_PACKAGES, v, p.name(), what + p.name() + " " + p.version()
            + " is denied (" + denied.display() + ")", at(positions, p)));
      }
    }
    if (rules.sources() != null && p.source() != null) {
      sourceProblem(rules.sources(), p.source()).ifPresent(problem -> found.add(new Violation(policy,
          ALLOWED_SOURCES, v, p.name(), what + p.name() + " " + p.version() + " " + problem,
          at(positions, p))));
    }
  }

  private static void checkBaseImage(String policy, PolicyRules.BaseImages rule, VariantSubject variant,
      List<Violation> found) {
    String base = variant.baseImage();
    if (rule.prefixes() != null && !matchesAny(rule.prefixes(), imageForms(base))) {
      found.add(new Violation(policy, ALLOWED_BASE_IMAGES, variant.name(), null, "base image " + Texts.quote(base)
          + " does not start with one of " + rule.prefixes(), null));
    }
    if (rule.requireDigest() && !base.contains("@sha256:") && !base.contains("@sha512:")) {
      found.add(new Violation(policy, ALLOWED_BASE_IMAGES, variant.name(), null, "base image " + Texts.quote(base)
          + " is not pinned by digest (@sha256:…)", null));
    }
  }

  /** Why a source is not allowed, or empty when it is. */
  static Optional<String> sourceProblem(PolicyRules.Sources allowed, PackageSource source) {
    switch (source.type()) {
      case REGISTRY -> {
        if (allowed.indexUrls() != null && allowed.indexUrls().stream()
            .noneMatch(u -> stripSlashes(u).equalsIgnoreCase(stripSlashes(source.url())))) {
          return Optional.of("comes from index " + Texts.quote(source.url()) + ", which is not allowed");
        }
      }
      case GIT -> {
        if (allowed.gitHosts() != null && !hostAllowed(allowed.gitHosts(), source.url())) {
          return Optional.of("comes from git repository " + Texts.quote(source.url()) + ", whose host is not"
              + " allowed");
        }
      }
      case URL -> {
        if (allowed.urlHosts() != null && !hostAllowed(allowed.urlHosts(), source.url())) {
          return Optional.of("is downloaded from " + Texts.quote(source.url()) + ", whose host is not allowed");
        }
      }
    }
    return Optional.empty();
  }

  private static boolean hostAllowed(List<String> hosts, String url) {
    String host = host(url);
    return host != null && hosts.stream().anyMatch(h -> h.toLowerCase(Locale.ROOT).equals(host)
        || h.toLowerCase(Locale.ROOT).equals(hostWithoutPort(host)));
  }

  /** The host (with its port, when given) of a URL, or of an scp-like git address (git@host:path). */
  static String host(String url) {
    if (url == null) {
      return null;
    }
    String u = url.startsWith("git+") ? url.substring(4) : url;
    if (!u.contains("://")) {
      int at = u.indexOf('@');
      int colon = u.indexOf(':', at + 1);
      return colon > at + 1 ? u.substring(at + 1, colon).toLowerCase(Locale.ROOT) : null;
    }
    try {
      URI uri = new URI(u);
      if (uri.getHost() == null) {
        return null;
      }
      String host = uri.getHost().toLowerCase(Locale.ROOT);
      return uri.getPort() >= 0 ? host + ":" + uri.getPort() : host;
    } catch (URISyntaxException e) {
      return null;
    }
  }

  private static String hostWithoutPort(String host) {
    int colon = host.lastIndexOf(':');
    return colon > 0 && !host.endsWith("]") ? host.substring(0, colon) : host;
  }

  private static boolean isNamed(PlannedPackage p, String normalizedName) {
    return PackageNames.normalize(p.name()).equals(normalizedName);
  }

  private static SourcePosition at(ProjectPositions positions, PlannedPackage p) {
    return positions.ofPackage(p.name(), p.version()).orElse(null);
  }

  /** An image reference as written and with its registry spelled out (python → docker.io/library/python:latest). */
  static List<String> imageForms(String text) {
    List<String> forms = new ArrayList<>();
    forms.add(text);
    try {
      ImageReference ref = ImageReference.parse(text);
      String lastPart = text.substring(text.lastIndexOf('/') + 1);
      boolean tagWritten = lastPart.contains(":") || text.contains("@");
      forms.add(ref.registry() + "/" + ref.repository() + (ref.tag() != null && tagWritten ? ":" + ref.tag() : "")
          + (ref.digest() != null ? "@" + ref.digest() : ""));
    } catch (IllegalArgumentException e) {
      // not a reference: only the text as written is compared
    }
    return forms;
  }

  /**
   * Whether a reference starts with one of the prefixes at a boundary: the prefix is the whole reference, ends with
   * '/', ':' or '@', or is followed by one of them. So "registry.example.com/ml" allows
   * "registry.example.com/ml/env" but not "registry.example.com/ml-private/env".
   */
  static boolean matchesAny(List<String> prefixes, List<String> forms) {
    for (String written : prefixes) {
      for (String prefix : List.of(written, withRegistry(written))) {
        for (String form : forms) {
        if (form.equals(prefix)) {
          return true;
        }
        if (!prefix.isEmpty() && form.startsWith(prefix)) {
          char last = prefix.charAt(prefix.length() - 1);
          char next = form.charAt(prefix.length());
          if (last == '/' || last == ':' || last == '@' || next == '/' || next == ':' || next == '@') {
            return true;
          }
        }
        }
      }
    }
    return false;
  }

  /** A prefix without a registry as Docker reads it: "python" is docker.io/library/python, "org/x" docker.io/org/x. */
  static String withRegistry(String prefix) {
    int end = prefix.length();
    for (char c : new char[] {'/', ':', '@'}) {
      int i = prefix.indexOf(c);
      if (i >= 0 && i < end) {
        end = i;
      }
    }
    String first = prefix.substring(0, end);
    boolean firstIsRegistry = end < prefix.length() && prefix.charAt(end) == '/'
        && (first.contains(".") || first.contains(":") || first.equals("localhost"));
    if (firstIsRegistry || prefix.isEmpty()) {
      return prefix;
    }
    if (end < prefix.length() && prefix.charAt(end) == '/') {
      return ImageReference.DOCKER_HUB + "/" + prefix;
    }
    return ImageReference.DOCKER_HUB + "/library/" + prefix;
  }

  private static String stripSlashes(String url) {
    String u = url;
    while (u.endsWith("/")) {
      u = u.substring(0, u.length() - 1);
    }
    return u;
  }
}
