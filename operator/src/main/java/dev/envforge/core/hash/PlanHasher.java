package dev.envforge.core.hash;

import dev.envforge.core.assemble.ImageAssembler;
import dev.envforge.core.assemble.LayerKey;
import dev.envforge.core.plan.Artifact;
import dev.envforge.core.plan.InstallPlan;
import dev.envforge.core.plan.PlannedPackage;
import dev.envforge.core.recipe.BuildRecipe;
import dev.envforge.core.recipe.Builder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Hashes what an image installs and how it is built, and nothing else. docs/hashing.md is the specification: change
 * it together with this class, and bump {@link #SCHEME} when the document's shape changes.
 */
public final class PlanHasher {
  /** Names the shape of the canonical document; part of the document. */
  public static final String SCHEME = "envforge-plan/v1";
  /** Image tags are this prefix and the first {@link #TAG_HEX_CHARS} hex digits of the hash. */
  public static final String TAG_PREFIX = "ef-";
  public static final int TAG_HEX_CHARS = 32;

  private PlanHasher() {}

  public static PlanHash hash(InstallPlan plan, BuildRecipe recipe) {
    Map<String, Object> document = new TreeMap<>();
    document.put("scheme", SCHEME);
    document.put("recipe", recipeInputs(recipe));
    document.put("packages", packageIdentities(plan.packages()));
    if (!plan.indexes().isEmpty()) {
      document.put("indexes", plan.indexes()); // in order: the first is the main index
    }
    String json = CanonicalJson.write(document);
    String hex = sha256Hex(json.getBytes(StandardCharsets.UTF_8));
    return new PlanHash(hex, TAG_PREFIX + hex.substring(0, TAG_HEX_CHARS), json);
  }

  private static Map<String, Object> recipeInputs(BuildRecipe recipe) {
    Map<String, Object> inputs = new TreeMap<>();
    inputs.put("baseImage", recipe.baseImage());
    inputs.put("python", recipe.python());
    inputs.put("platform", recipe.platform());
    if (recipe.builder() == Builder.ASSEMBLE) {
      // the assembler neither renders the Kaniko context nor runs an installer: its own layout version says how
      // the image is made, and the installer setting changes nothing in it
      inputs.put("builder", Builder.ASSEMBLE.id());
      inputs.put("assembleLayout", LayerKey.LAYOUT_VERSION);
      inputs.put("assembleImage", ImageAssembler.IMAGE_VERSION);
    } else {
      // Kaniko documents carry no builder key, so their tags are those of envforge versions without the assembler
      inputs.put("recipeVersion", BuildRecipe.RECIPE_VERSION);
      inputs.put("installer", recipe.installer().id());
      inputs.put("installerVersion", recipe.installer().pinnedVersion());
    }
    return inputs;
  }

  private static List<Map<String, Object>> packageIdentities(List<PlannedPackage> packages) {
    List<Map<String, Object>> identities = new ArrayList<>(packages.size());
    for (PlannedPackage p : packages) {
      Map<String, Object> identity = new TreeMap<>();
      identity.put("name", p.name());
      identity.put("version", p.version());
      if (p.manager() != null) {
        identity.put("manager", p.manager());
      }
      if (p.source() != null) {
        Map<String, Object> source = new TreeMap<>();
        source.put("type", p.source().type().jsonName());
        source.put("url", p.source().url());
        if (p.source().commit() != null) {
          source.put("commit", p.source().commit());
        }
        if (p.source().subdirectory() != null) {
          source.put("subdirectory", p.source().subdirectory());
        }
        identity.put("source", source);
      }
      TreeSet<String> hashes = new TreeSet<>();
      for (Artifact a : p.artifacts()) {
        if (a.hash() != null) {
          hashes.add(a.hash());
        }
      }
      identity.put("hashes", new ArrayList<>(hashes));
      identities.add(identity);
    }
    // order-independent: sort on the identity's own canonical text, written once per identity
    List<Map.Entry<String, Map<String, Object>>> keyed = new ArrayList<>(identities.size());
    for (Map<String, Object> identity : identities) {
      keyed.add(Map.entry(CanonicalJson.write(identity), identity));
    }
    keyed.sort(Map.Entry.comparingByKey());
    List<Map<String, Object>> sorted = new ArrayList<>(keyed.size());
    for (Map.Entry<String, Map<String, Object>> entry : keyed) {
      sorted.add(entry.getValue());
    }
    return sorted;
  }

  static String sha256Hex(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is always available", e);
    }
  }

  /** SHA-256 of a text's UTF-8 bytes, as lower-case hex. */
  public static String sha256Hex(String text) {
    return sha256Hex(text.getBytes(StandardCharsets.UTF_8));
  }

}
