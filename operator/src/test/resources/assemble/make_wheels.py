"""Builds the test wheels of the assembler's tests into the folder given as argument.

Every feature of the binary distribution format an installer must handle appears in at least one wheel: platlib and
purelib roots, .data/{purelib,platlib,scripts,headers,data}, '#!python' scripts with and without the executable bit,
console and GUI scripts, a .pth file, a namespace package shared by two wheels, an executable file in a package and a
__pycache__ folder shipped inside a wheel. Zip times are fixed, so the wheels' hashes are the same on every run.
"""
import base64
import hashlib
import sys
import zipfile
from pathlib import Path

TIME = (2000, 1, 1, 0, 0, 0)


def wheel(out, name, version, root_is_purelib, files, entry_points=None):
    dist_info = f"{name}-{version}.dist-info"
    files = dict(files)
    files[f"{dist_info}/METADATA"] = (f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n", 0o644)
    files[f"{dist_info}/WHEEL"] = (
        "Wheel-Version: 1.0\nGenerator: envforge-tests\n"
        f"Root-Is-Purelib: {'true' if root_is_purelib else 'false'}\nTag: py3-none-any\n", 0o644)
    if entry_points:
        files[f"{dist_info}/entry_points.txt"] = (entry_points, 0o644)
    record = []
    path = Path(out) / f"{name}-{version}-py3-none-any.whl"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for arcname, (content, mode) in files.items():
            data = content.encode() if isinstance(content, str) else content
            info = zipfile.ZipInfo(arcname, TIME)
            info.external_attr = (0o100000 | mode) << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(info, data)
            digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
            record.append(f"{arcname},sha256={digest},{len(data)}")
        record.append(f"{dist_info}/RECORD,,")
        info = zipfile.ZipInfo(f"{dist_info}/RECORD", TIME)
        info.external_attr = (0o100000 | 0o644) << 16
        zf.writestr(info, "\n".join(record) + "\n")
    return path


def main(out):
    Path(out).mkdir(parents=True, exist_ok=True)
    wheel(out, "demo", "1.0", True, {
        "demo/__init__.py": ("__version__ = '1.0'\n", 0o644),
        "demo/cli.py": ("def main():\n    print('demo main')\n    return 0\n\ndef gui():\n    return 0\n", 0o644),
        "demo/run.sh": ("#!/bin/sh\necho run\n", 0o755),
        "demo/__pycache__/__init__.cpython-311.pyc": (b"\x00not really bytecode", 0o644),
        "demo.pth": ("import demo\n", 0o644),
        "nspkg/one/__init__.py": ("VALUE = 1\n", 0o644),
        "demo-1.0.data/scripts/demo-tool": ("#!python\nimport demo\nprint(demo.__version__)\n", 0o755),
        "demo-1.0.data/scripts/demo-tool-w": ("#!pythonw -u\nprint('w')\n", 0o644),
        "demo-1.0.data/scripts/plain.sh": ("#!/bin/sh\necho plain\n", 0o644),
        "demo-1.0.data/headers/demo.h": ("#define DEMO 1\n", 0o644),
        "demo-1.0.data/data/share/demo/readme.txt": ("data file\n", 0o644),
        "demo-1.0.data/purelib/demo_extra.py": ("EXTRA = True\n", 0o644),
    }, entry_points="[console_scripts]\ndemo = demo.cli:main\n\n[gui_scripts]\ndemo-gui = demo.cli:gui\n")
    wheel(out, "platdemo", "2.0", False, {
        "platdemo/__init__.py": ("NAME = 'platdemo'\n", 0o644),
        "platdemo-2.0.data/platlib/platdemo_native.py": ("NATIVE = True\n", 0o644),
        "platdemo-2.0.data/purelib/platdemo_pure.py": ("PURE = True\n", 0o644),
        "nspkg/two/__init__.py": ("VALUE = 2\n", 0o644),
    }, entry_points="[console_scripts]\nplatdemo-run = platdemo:main.run [extra]\n")


if __name__ == "__main__":
    main(sys.argv[1])
