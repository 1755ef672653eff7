package dev.envforge.core.lock.toml;

import java.util.ArrayList;
import java.util.Arrays;

/** A TOML array (of values, or of tables), each element knowing where it was written. */
public final class TomlArray {
  private final SourceText source;
  private final int offset;
  private final ArrayList<Object> values = new ArrayList<>();
  private int[] offsets = new int[4];
  /** True for an array of tables ({@code [[name]]}), which later headers may extend. */
  final boolean ofTables;

  TomlArray(SourceText source, int offset, boolean ofTables) {
    this.source = source;
    this.offset = offset;
    this.ofTables = ofTables;
  }

  void add(Object value, int valueOffset) {
    if (values.size() == offsets.length) {
      offsets = Arrays.copyOf(offsets, offsets.length * 2);
    }
    offsets[values.size()] = valueOffset;
    values.add(value);
  }

  Object last() {
    return values.get(values.size() - 1);
  }

  public int size() {
    return values.size();
  }

  /** Element {@code index}, of any type {@link TomlTable#get} may return. */
  public Object get(int index) {
    return values.get(index);
  }

  /** Where the array starts ({@code [[name]]}: its first header). */
  public Location location() {
    return new Location(source, offset);
  }

  /** Where element {@code index} starts (an element of {@code [[name]]}: its header). */
  public Location location(int index) {
    return new Location(source, offsets[index]);
  }

  /** Element {@code index}, which must be a string. */
  public String string(int index) {
    return typed(index, String.class);
  }

  /** Element {@code index}, which must be a table. */
  public TomlTable table(int index) {
    return typed(index, TomlTable.class);
  }

  private <T> T typed(int index, Class<T> type) {
    Object value = get(index);
    if (type.isInstance(value)) {
      return type.cast(value);
    }
    throw location(index).error("element " + (index + 1) + " must be " + TomlTable.typeName(type) + ", not "
        + TomlTable.typeName(value.getClass()));
  }
}
