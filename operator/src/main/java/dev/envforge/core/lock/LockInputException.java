package dev.envforge.core.lock;

/**
 * Bad input in a project's files: names the file, the 1-based line and column (0 when unknown) and what is wrong.
 * Its message has the form {@code FILE:LINE:COLUMN: what is wrong}.
 */
public class LockInputException extends RuntimeException {
  private final String file;
  private final int line;
  private final int column;
  private final String problem;

  public LockInputException(String file, int line, int column, String problem) {
    super(file + ":" + line + ":" + column + ": " + problem);
    this.file = file;
    this.line = line;
    this.column = column;
    this.problem = problem;
  }

  public LockInputException(String file, int line, int column, String problem, Throwable cause) {
    this(file, line, column, problem);
    initCause(cause);
  }

  public String file() {
    return file;
  }

  public int line() {
    return line;
  }

  public int column() {
    return column;
  }

  /** What is wrong, without the location. */
  public String problem() {
    return problem;
  }
}
