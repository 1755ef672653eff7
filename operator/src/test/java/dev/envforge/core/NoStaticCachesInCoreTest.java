package dev.envforge.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.envforge.core.cache.BoundedCache;
import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The core keeps no state between calls: every cache is a {@link BoundedCache} instance owned by whoever wires the
 * planner (the operator, one command-line run). A static cache would be unbounded in lifetime, shared by unrelated
 * callers, and invisible to the operator's wiring. Scans every compiled class of {@code dev.envforge.core}.
 */
class NoStaticCachesInCoreTest {
  static final Path CLASSES = Path.of(System.getProperty("envforge.repoRoot", ".."))
      .resolve("operator/target/classes");

  @Test
  void noCoreClassHasAStaticCacheOrMutableCollection() throws Exception {
    List<Class<?>> classes = coreClasses();
    assertThat(classes).hasSizeGreaterThan(100);
    List<String> found = new ArrayList<>();
    for (Class<?> type : classes) {
      for (Field field : type.getDeclaredFields()) {
        if (Modifier.isStatic(field.getModifiers()) && !field.isSynthetic() && !field.isEnumConstant()) {
          String why = whyStateful(field);
          if (why != null) {
            found.add(type.getName() + "." + field.getName() + ": " + why);
          }
        }
      }
    }
    assertThat(found).as("static caches or mutable collections in the core").isEmpty();
  }

  @Test
  void theScanFindsAStaticCache() throws Exception {
    assertThat(whyStateful(WithStaticCache.class.getDeclaredField("CACHE"))).isNotNull();
    assertThat(whyStateful(WithStaticCache.class.getDeclaredField("MAP"))).isNotNull();
    assertThat(whyStateful(WithStaticCache.class.getDeclaredField("LIST"))).isNotNull();
    assertThat(whyStateful(WithStaticCache.class.getDeclaredField("REF"))).isNotNull();
    assertThat(whyStateful(WithStaticCache.class.getDeclaredField("FIXED"))).isNull();
    assertThat(whyStateful(WithStaticCache.class.getDeclaredField("NAME"))).isNull();
  }

  /** Why a static field holds state across calls, or null when it does not. */
  static String whyStateful(Field field) throws IllegalAccessException {
    Class<?> type = field.getType();
    if (type.getSimpleName().contains("Cache") || type == ThreadLocal.class
        || type.getName().startsWith("java.util.concurrent.atomic.")) {
      return "a " + type.getSimpleName();
    }
    if (Map.class.isAssignableFrom(type) || Collection.class.isAssignableFrom(type)) {
      field.setAccessible(true);
      Object value = field.get(null);
      if (value != null && !isImmutable(value)) {
        return "a mutable " + value.getClass().getName();
      }
    }
    if (!field.getType().isPrimitive() && !Modifier.isFinal(field.getModifiers())) {
      return "not final";
    }
    return null;
  }

  /** Collections made by List.of, Set.of, Map.of, copyOf and Collections.unmodifiable*. */
  private static boolean isImmutable(Object value) {
    String name = value.getClass().getName();
    return name.startsWith("java.util.ImmutableCollections$") || name.startsWith("java.util.Collections$Unmodifiable")
        || name.startsWith("java.util.Collections$Empty") || name.startsWith("java.util.Collections$Singleton");
  }

  private static List<Class<?>> coreClasses() throws IOException, ClassNotFoundException {
    Path root = CLASSES.resolve("dev/envforge/core");
    List<String> names;
    try (Stream<Path> walk = Files.walk(root)) {
      names = walk.filter(p -> p.toString().endsWith(".class"))
          .map(p -> CLASSES.relativize(p).toString().replace('/', '.').replaceAll("\\.class$", ""))
          .sorted().toList();
    }
    List<Class<?>> classes = new ArrayList<>();
    for (String name : names) {
      classes.add(Class.forName(name, true, NoStaticCachesInCoreTest.class.getClassLoader()));
    }
    return classes;
  }

  @SuppressWarnings("unused")
  private static final class WithStaticCache {
    static final BoundedCache<String, String> CACHE = new BoundedCache<>(4);
    static final Map<String, String> MAP = new java.util.HashMap<>();
    static final List<String> LIST = new ArrayList<>();
    static final AtomicReference<String> REF = new AtomicReference<>();
    static final List<String> FIXED = List.of("a");
    static final String NAME = "name";
  }
}
