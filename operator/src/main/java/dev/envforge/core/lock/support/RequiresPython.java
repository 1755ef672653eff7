package dev.envforge.core.lock.support;

import dev.envforge.core.lock.ProjectFiles;
import dev.envforge.core.lock.toml.Located;
import dev.envforge.core.lock.toml.Toml;
import dev.envforge.core.lock.toml.TomlTable;
import dev.envforge.core.pep.PepSyntaxException;
import dev.envforge.core.pep.VersionConstraint;
import dev.envforge.core.text.Texts;

/** The Python versions a project or lock allows: its {@code requires-python}, parsed where it is written. */
public final class RequiresPython {
  private static final String KEY = "requires-python";
  private static final String PYPROJECT = "pyproject.toml";

  private RequiresPython() {}

  /**
   * The {@code requires-python} of a table ({@code [project]} or a lock's root), placed at its key; null when the
   * table has none.
   */
  public static Located<VersionConstraint> of(TomlTable table) {
    Located<String> text = table.locatedString(KEY);
    if (text == null) {
      return null;
    }
    try {
      return new Located<>(VersionConstraint.parsePep440(text.value()), text.location());
    } catch (PepSyntaxException e) {
      throw text.error("invalid requires-python " + Texts.quote(text.value()) + ": " + Texts.escape(e.getMessage()));
    }
  }

  /** The {@code [project]} requires-python of the pyproject.toml beside a lock; null when there is none. */
  public static VersionConstraint ofProject(ProjectFiles files) {
    String text = files.read(PYPROJECT).orElse(null);
    if (text == null) {
      return null;
    }
    TomlTable project = Toml.parse(files.displayName(PYPROJECT), text).table("project");
    Located<VersionConstraint> requiresPython = project == null ? null : of(project);
    return requiresPython == null ? null : requiresPython.value();
  }
}
