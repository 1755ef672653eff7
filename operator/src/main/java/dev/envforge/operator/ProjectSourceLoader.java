package dev.envforge.operator;

import dev.envforge.api.v1alpha1.ConfigMapSource;
import dev.envforge.api.v1alpha1.Reason;
import dev.envforge.api.v1alpha1.LockSource;
import dev.envforge.api.v1alpha1.ProjectFile;
import dev.envforge.core.lock.LockFormat;
import dev.envforge.core.lock.LockFormats;
import dev.envforge.core.lock.ProjectFiles;
import io.fabric8.kubernetes.api.model.ConfigMap;
import java.util.HashMap;
import java.util.Map;
import java.util.function.BiFunction;

/** Turns a resource's {@code spec.source} into the project files the core reads. */
public final class ProjectSourceLoader {
  static final String PYPROJECT = "pyproject.toml";

  /** The files, their format, and a stable digest of both (the plan cache key). */
  public record LoadedProject(ProjectFiles files, LockFormat format, Map<String, String> contents) {}

  private ProjectSourceLoader() {}

  /**
   * @param configMaps looks a ConfigMap up by (namespace, name); returns null when there is none
   * @throws SpecProblemException when the source cannot be read
   */
  public static LoadedProject load(String namespace, String resourceName, LockSource source,
      BiFunction<String, String, ConfigMap> configMaps) {
    LockFormat explicit = source.getFormat() == null ? null : LockFormat.fromId(source.getFormat().value());
    Map<String, String> files = new HashMap<>();
    String prefix;
    LockFormat format;
    if (source.getInline() != null) {
      prefix = "pythonenvironment/" + namespace + "/" + resourceName + ":spec.source.inline/";
      String lock = source.getInline().getLock();
      format = explicit != null ? explicit : LockFormats.sniff(lock == null ? "" : lock);
      if (format == null) {
        throw new SpecProblemException(Reason.UNSUPPORTED_LOCK_FORMAT, "spec.source.inline.lock: cannot tell"
            + " which lock format this is; set spec.source.format (poetry, uv, pylock, requirements)");
      }
      files.put(format.lockFile(), lock);
      if (source.getInline().getPyproject() != null) {
        files.put(PYPROJECT, source.getInline().getPyproject());
      }
    } else if (source.getConfigMapRef() != null) {
      ConfigMapSource ref = source.getConfigMapRef();
      prefix = "configmap/" + namespace + "/" + ref.getName() + ":";
      ConfigMap cm = configMaps.apply(namespace, ref.getName());
      if (cm == null) {
        throw new SpecProblemException(Reason.CONFIG_MAP_NOT_FOUND, "spec.source.configMapRef.name: ConfigMap "
            + namespace + "/" + ref.getName() + " does not exist");
      }
      Map<String, String> data = cm.getData() == null ? Map.of() : cm.getData();
      String pyprojectKey = ref.getPyprojectKey() == null ? PYPROJECT : ref.getPyprojectKey();
      if (data.containsKey(pyprojectKey)) {
        files.put(PYPROJECT, data.get(pyprojectKey));
      }
      format = explicit;
      String lockKey = ref.getLockKey();
      if (lockKey == null) {
        for (LockFormat f : LockFormat.values()) {
          if ((format == null || format == f) && data.containsKey(f.lockFile())) {
            if (lockKey != null) {
              throw new SpecProblemException(Reason.UNSUPPORTED_LOCK_FORMAT, "spec.source.configMapRef: ConfigMap "
                  + ref.getName() + " holds several lock files; set spec.source.configMapRef.lockKey");
            }
            lockKey = f.lockFile();
            format = f;
          }
        }
        if (lockKey == null) {
          throw new SpecProblemException(Reason.KEY_NOT_FOUND, "spec.source.configMapRef: ConfigMap "
              + ref.getName() + " has no lock file key (poetry.lock, uv.lock, pylock.toml, requirements.txt);"
              + " set spec.source.configMapRef.lockKey");
        }
      }
      String lock = data.get(lockKey);
      if (lock == null) {
        throw new SpecProblemException(Reason.KEY_NOT_FOUND, "spec.source.configMapRef.lockKey: ConfigMap "
            + ref.getName() + " has no key " + lockKey);
      }
      if (format == null) {
        format = LockFormats.sniff(lock);
        if (format == null) {
          throw new SpecProblemException(Reason.UNSUPPORTED_LOCK_FORMAT, "spec.source.format: cannot tell the"
              + " format of key " + lockKey + "; set spec.source.format");
        }
      }
      files.put(format.lockFile(), lock);
      if (ref.getFiles() != null) {
        for (ProjectFile extra : ref.getFiles()) {
          String text = data.get(extra.getKey());
          if (text == null) {
            throw new SpecProblemException(Reason.KEY_NOT_FOUND, "spec.source.configMapRef.files: ConfigMap "
                + ref.getName() + " has no key " + extra.getKey());
          }
          files.put(extra.getPath(), text);
        }
      }
    } else {
      throw new SpecProblemException(Reason.INVALID_SPEC, "spec.source: set inline or configMapRef");
    }
    return new LoadedProject(ProjectFiles.of(files, prefix), format, Map.copyOf(files));
  }
}
