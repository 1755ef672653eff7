package dev.envforge.core.lock;

import java.util.EnumMap;
import java.util.Map;

/** The resolver of each lock format. */
public final class LockResolvers {
  private static final Map<LockFormat, LockResolver> RESOLVERS = new EnumMap<>(LockFormat.class);

  private LockResolvers() {}

  public static LockResolver of(LockFormat format) {
    LockResolver resolver = RESOLVERS.get(format);
    if (resolver == null) {
      throw new IllegalArgumentException("no resolver for lock format " + format.id());
    }
    return resolver;
  }
}
