package dev.envforge.testing;

import java.util.Map;

/**
 * A small uv project for builder decisions: its main dependencies all have pure wheels; the extra {@code legacy}
 * adds a package with only an sdist; the group {@code modern} adds one whose only wheel needs glibc 2.28.
 */
public final class WheelProject {
  public static final String PYPROJECT = """
      [project]
      name = "app"
      version = "1.0"
      requires-python = ">=3.10"
      dependencies = ["certifi", "idna"]

      [project.optional-dependencies]
      legacy = ["pysocks"]

      [dependency-groups]
      modern = ["fastcodec"]
      """;

  public static final String LOCK = """
      version = 1
      revision = 3
      requires-python = ">=3.10"

      [[package]]
      name = "app"
      version = "1.0"
      source = { editable = "." }
      dependencies = [
          { name = "certifi" },
          { name = "idna" },
      ]

      [package.optional-dependencies]
      legacy = [
          { name = "pysocks" },
      ]

      [package.dev-dependencies]
      modern = [
          { name = "fastcodec" },
      ]

      [[package]]
      name = "certifi"
      version = "2026.7.22"
      source = { registry = "https://pypi.org/simple" }
      sdist = { url = "https://files.pythonhosted.org/p/certifi-2026.7.22.tar.gz", hash = "sha256:741e2c3b351ddf169a738da9f2c048608ff7f2c5cc02f1ebc6b118bb090d5d55" }
      wheels = [
          { url = "https://files.pythonhosted.org/p/certifi-2026.7.22-py3-none-any.whl", hash = "sha256:62f22742b58a1a33014a2b6b706588a8d7e2a88ae7bd1a6ebe8c992928483775" },
      ]

      [[package]]
      name = "fastcodec"
      version = "2.0.0"
      source = { registry = "https://pypi.org/simple" }
      sdist = { url = "https://files.pythonhosted.org/p/fastcodec-2.0.0.tar.gz", hash = "sha256:1111111111111111111111111111111111111111111111111111111111111111" }
      wheels = [
          { url = "https://files.pythonhosted.org/p/fastcodec-2.0.0-cp312-cp312-manylinux_2_28_x86_64.whl", hash = "sha256:2222222222222222222222222222222222222222222222222222222222222222" },
      ]

      [[package]]
      name = "idna"
      version = "3.18"
      source = { registry = "https://pypi.org/simple" }
      sdist = { url = "https://files.pythonhosted.org/p/idna-3.18.tar.gz", hash = "sha256:7f952cbe720b688055e3f87de14f5c3e5fdaa8bc3928985c4077ca689de849a2" }
      wheels = [
          { url = "https://files.pythonhosted.org/p/idna-3.18-py3-none-any.whl", hash = "sha256:ffb385a7e039654cef1ab9ef32c6fafe283c0c0467bba1d9029738ce4a14a848" },
      ]

      [[package]]
      name = "pysocks"
      version = "1.7.1"
      source = { registry = "https://pypi.org/simple" }
      sdist = { url = "https://files.pythonhosted.org/p/PySocks-1.7.1.tar.gz", hash = "sha256:3f8804571ebe159c380ac6de37643bb4685970655d3bba243530d6558b799aa0" }
      """;

  public static final Map<String, String> FILES = Map.of("pyproject.toml", PYPROJECT, "uv.lock", LOCK);

  private WheelProject() {}
}
