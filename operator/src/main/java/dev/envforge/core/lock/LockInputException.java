package dev.envforge.core.lock;

import dev.envforge.core.text.Texts;

/**
 * Bad input in a project's files: names the file, the 1-based line and column and what is wrong. Its message has the
 * form {@code FILE:LINE:COLUMN: what is wrong}; a problem of the whole file (missing, too large) has line and column
 * 0 and the form {@code FILE: what is wrong}. Credentials in URLs are redacted from the message.
 */
public class LockInputException extends RuntimeException {
  private final String file;
  private final int line;
  private final int column;
  private final String problem;

  public LockInputException(String file, int line, int column, String problem) {
    super(Texts.redact(line > 0 ? file + ":" + line + ":" + Math.max(column, 1) + ": " + problem
        : file + ": " + problem));
    this.file = file;
    this.line = line;
    this.column = line > 0 ? Math.max(column, 1) : 0;
    this.problem = Texts.redact(problem);
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
