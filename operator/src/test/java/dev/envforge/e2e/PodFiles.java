package dev.envforge.e2e;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.KeyToPath;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * The files a container of a Pod sees through its ConfigMap, Secret and emptyDir volumes, as the kubelet projects
 * them: all keys of the object or only its {@code items} (each at its {@code path}), file modes from {@code mode} or
 * {@code defaultMode} (0644 when neither is set), a {@code subPath} mount showing one file or folder of the volume,
 * and a missing object or key holding the mount unless it is optional. Secret values are decoded from base64;
 * ConfigMap {@code binaryData} too.
 *
 * <p>Files are plain files here. The kubelet writes a whole-volume mount as symlinks into a {@code ..data} folder;
 * that layout is not reproduced, because only the builder's treatment of symlinks would make it matter, and
 * buildah's COPY is not Kaniko's on that point.
 */
public final class PodFiles {
  /**
   * A file a container sees.
   *
   * @param content its bytes
   * @param mode its permission bits, such as 0444
   */
  public record File(byte[] content, int mode) {
    public String text() {
      return new String(content, StandardCharsets.UTF_8);
    }
  }

  /** A mount that cannot be made yet, because an object or key it needs does not exist (the Pod would wait). */
  public static final class MountNotReady extends RuntimeException {
    MountNotReady(String message) {
      super(message);
    }
  }

  /** A volume or mount this class does not project; the container would see something it cannot show. */
  public static final class UnsupportedMount extends RuntimeException {
    UnsupportedMount(String message) {
      super(message);
    }
  }

  static final int DEFAULT_MODE = 0644;

  private final SortedMap<String, File> files;
  private final List<String> mountPaths;

  private PodFiles(SortedMap<String, File> files, List<String> mountPaths) {
    this.files = files;
    this.mountPaths = mountPaths;
  }

  /**
   * Projects every volume mount of the container.
   *
   * @param configMaps finds a ConfigMap of the Pod's namespace by name, or returns null
   * @param secrets finds a Secret of the Pod's namespace by name, or returns null
   * @throws MountNotReady when a non-optional object or key is missing
   * @throws UnsupportedMount for volume types other than configMap, secret and emptyDir
   */
  public static PodFiles project(PodSpec pod, Container container, Function<String, ConfigMap> configMaps,
      Function<String, Secret> secrets) {
    Map<String, Volume> volumes = new LinkedHashMap<>();
    for (Volume v : pod.getVolumes() == null ? List.<Volume>of() : pod.getVolumes()) {
      volumes.put(v.getName(), v);
    }
    SortedMap<String, File> files = new TreeMap<>();
    List<String> mountPaths = new ArrayList<>();
    for (VolumeMount mount : container.getVolumeMounts() == null ? List.<VolumeMount>of()
        : container.getVolumeMounts()) {
      Volume volume = volumes.get(mount.getName());
      if (volume == null) {
        throw new UnsupportedMount("mount " + mount.getMountPath() + " names volume " + mount.getName()
            + ", which the Pod does not have");
      }
      Map<String, File> content = volumeContent(volume, configMaps, secrets);
      String target = withoutTrailingSlash(mount.getMountPath());
      mountPaths.add(target);
      String subPath = mount.getSubPath() == null || mount.getSubPath().isEmpty() ? null
          : withoutTrailingSlash(mount.getSubPath());
      if (subPath == null) {
        content.forEach((path, file) -> files.put(target + "/" + path, file));
      } else if (content.containsKey(subPath)) {
        files.put(target, content.get(subPath));
      } else {
        // a folder of the volume, or nothing: the kubelet then creates an empty folder
        content.forEach((path, file) -> {
          if (path.startsWith(subPath + "/")) {
            files.put(target + path.substring(subPath.length()), file);
          }
        });
      }
    }
    return new PodFiles(files, List.copyOf(mountPaths));
  }

  /** Every projected file by absolute path inside the container. */
  public SortedMap<String, File> files() {
    return java.util.Collections.unmodifiableSortedMap(files);
  }

  /** The mount paths, in the container's order. */
  public List<String> mountPaths() {
    return mountPaths;
  }

  /** The files below a folder of the container (or that one file), by path relative to it. */
  public SortedMap<String, File> under(String containerPath) {
    String prefix = withoutTrailingSlash(containerPath) + "/";
    SortedMap<String, File> below = new TreeMap<>();
    files.forEach((path, file) -> {
      if (path.startsWith(prefix)) {
        below.put(path.substring(prefix.length()), file);
      }
    });
    return below;
  }

  /**
   * Writes the files below a folder of the container into a folder of this machine, with their modes.
   *
   * @return the number of files written
   */
  public int writeUnder(String containerPath, Path directory) {
    SortedMap<String, File> below = under(containerPath);
    try {
      Files.createDirectories(directory);
      for (Map.Entry<String, File> e : below.entrySet()) {
        Path target = directory.resolve(e.getKey()).normalize();
        if (!target.startsWith(directory)) {
          throw new UnsupportedMount("a projected path leaves its folder: " + e.getKey());
        }
        Files.createDirectories(target.getParent());
        Files.write(target, e.getValue().content());
        Files.setPosixFilePermissions(target, permissions(e.getValue().mode()));
      }
      return below.size();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Map<String, File> volumeContent(Volume volume, Function<String, ConfigMap> configMaps,
      Function<String, Secret> secrets) {
    if (volume.getConfigMap() != null) {
      var source = volume.getConfigMap();
      boolean optional = Boolean.TRUE.equals(source.getOptional());
      ConfigMap cm = configMaps.apply(source.getName());
      if (cm == null) {
        if (optional) {
          return Map.of();
        }
        throw new MountNotReady("ConfigMap " + source.getName() + " (volume " + volume.getName() + ") not found");
      }
      Map<String, byte[]> data = new TreeMap<>();
      if (cm.getData() != null) {
        cm.getData().forEach((k, v) -> data.put(k, v.getBytes(StandardCharsets.UTF_8)));
      }
      if (cm.getBinaryData() != null) {
        cm.getBinaryData().forEach((k, v) -> data.put(k, Base64.getDecoder().decode(v)));
      }
      return project("ConfigMap " + source.getName(), data, source.getItems(), source.getDefaultMode(), optional);
    }
    if (volume.getSecret() != null) {
      var source = volume.getSecret();
      boolean optional = Boolean.TRUE.equals(source.getOptional());
      Secret secret = secrets.apply(source.getSecretName());
      if (secret == null) {
        if (optional) {
          return Map.of();
        }
        throw new MountNotReady("Secret " + source.getSecretName() + " (volume " + volume.getName()
            + ") not found");
      }
      Map<String, byte[]> data = new TreeMap<>();
      // an API server turns stringData into data on write; a mock server may keep it as it came
      if (secret.getStringData() != null) {
        secret.getStringData().forEach((k, v) -> data.put(k, v.getBytes(StandardCharsets.UTF_8)));
      }
      if (secret.getData() != null) {
        secret.getData().forEach((k, v) -> data.put(k, Base64.getDecoder().decode(v)));
      }
      return project("Secret " + source.getSecretName(), data, source.getItems(), source.getDefaultMode(),
          optional);
    }
    if (volume.getEmptyDir() != null) {
      return Map.of();
    }
    throw new UnsupportedMount("volume " + volume.getName() + " is neither a configMap, a secret nor an emptyDir");
  }

  private static Map<String, File> project(String what, Map<String, byte[]> data, List<KeyToPath> items,
      Integer defaultMode, boolean optional) {
    int mode = defaultMode == null ? DEFAULT_MODE : defaultMode;
    Map<String, File> content = new TreeMap<>();
    if (items == null || items.isEmpty()) {
      data.forEach((k, v) -> content.put(k, new File(v, mode)));
      return content;
    }
    for (KeyToPath item : items) {
      byte[] value = data.get(item.getKey());
      if (value == null) {
        if (optional) {
          continue;
        }
        throw new MountNotReady(what + " has no key " + item.getKey());
      }
      content.put(withoutTrailingSlash(item.getPath()), new File(value, item.getMode() == null ? mode
          : item.getMode()));
    }
    return content;
  }

  private static String withoutTrailingSlash(String path) {
    return path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
  }

  static Set<PosixFilePermission> permissions(int mode) {
    Set<PosixFilePermission> set = EnumSet.noneOf(PosixFilePermission.class);
    PosixFilePermission[] order = {
        PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_EXECUTE,
        PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_EXECUTE,
        PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE};
    for (int i = 0; i < 9; i++) {
      if ((mode & (0400 >> i)) != 0) {
        set.add(order[i]);
      }
    }
    return set;
  }
}
