package dev.envforge.core.assemble;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The tag order the wheel choice uses is exactly 'packaging.tags.sys_tags()' of the CPython on this machine. */
class SysTagsIT {
  @Test
  void tagOrderEqualsPackaging(@TempDir Path work) throws Exception {
    Assumptions.assumeTrue(Processes.available("python3"), "python3 is not installed");
    String out;
    try {
      out = Processes.run(work, "python3", "-c", String.join(";",
          "import platform, packaging.tags as t",
          "print(platform.python_version(), platform.machine(), platform.libc_ver()[1])",
          "print('\\n'.join(str(x) for x in t.sys_tags()))"));
    } catch (java.io.IOException e) {
      Assumptions.abort("python3-packaging is not installed: " + e.getMessage());
      return;
    }
    List<String> lines = out.strip().lines().toList();
    String[] host = lines.get(0).split(" ");
    Assumptions.assumeTrue(host[2].startsWith("2."), "not a glibc system");
    var interpreter = new WheelChoice.Interpreter(host[0], host[1], Integer.parseInt(host[2].split("\\.")[1]));
    assertThat(WheelChoice.supportedTags(interpreter)).containsExactlyElementsOf(lines.subList(1, lines.size()));
  }
}
