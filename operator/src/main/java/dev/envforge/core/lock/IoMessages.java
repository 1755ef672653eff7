package dev.envforge.core.lock;

import dev.envforge.core.text.Texts;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;

/** Words an I/O error in one line, without the exception's class name. */
public final class IoMessages {
  private IoMessages() {}

  /** Why the operation failed, such as "permission denied" or "no such file". */
  public static String reason(IOException e) {
    String why;
    if (e instanceof AccessDeniedException) {
      why = "permission denied";
    } else if (e instanceof NoSuchFileException) {
      why = "no such file or folder";
    } else if (e instanceof FileAlreadyExistsException) {
      why = "already exists";
    } else if (e instanceof NotDirectoryException) {
      why = "not a folder";
    } else if (e instanceof DirectoryNotEmptyException) {
      why = "folder not empty";
    } else if (e instanceof FileSystemException fs && fs.getReason() != null) {
      why = fs.getReason();
    } else {
      why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
    return Texts.escape(why);
  }
}
