#!/usr/bin/env python3
"""Writes marker-forms.txt: every marker variable with every operator and a range of version-like and other strings,
on both sides, evaluated by the 'packaging' library (26.2) in several environments.

Run as: python3 make_marker_forms.py > marker-forms.txt   (needs packaging >= 26; 26.2 was used)

packaging 26 compares as versions only on python_version, python_full_version, implementation_version and
platform_release; on other strings '<' and '>' are false and '<=' and '>=' mean '=='; a version comparison whose left
side is not a version is false. Older packaging (Debian's 23.0 among them) answers some of these forms otherwise.

Lines:
  '# ...'                           comments (the packaging version that wrote the table)
  'environment<TAB>i<TAB>k=v ...'   environment i (python_full_version, platform_release, extra; the rest is Linux
                                    x86_64 CPython as envforge builds it)
  '<marker><TAB>invalid'            a marker packaging refuses to parse
  '<marker><TAB><chars>'            one char per environment: 't' or 'f', or 'u' where packaging cannot evaluate
                                    it (UndefinedComparison, or an error such as comparing two strings)
"""
import sys

import packaging
from packaging.markers import InvalidMarker, Marker, UndefinedComparison

if int(packaging.__version__.split(".")[0]) < 26:
    sys.exit(f"packaging {packaging.__version__} is too old: use 26 or newer")

VARIABLES = ["python_version", "python_full_version", "implementation_version", "platform_release", "os_name",
             "sys_platform", "platform_machine", "platform_system", "platform_version", "implementation_name",
             "platform_python_implementation", "extra"]
OPERATORS = ["<", "<=", ">", ">=", "==", "!=", "~=", "===", "in", "not in"]
VALUES = ["3.12", "3.12.7", "3.12.*", "3.13", "3.9", "3", "3.13.0rc1", "3.13.0rc2", "3.12.7+local", "3.12.7.post1",
          "3.12.7.dev1", "", "1.0", "5.0", "5.15.0", "6.5.0-1025-azure", "posix", "nt", "linux", "Linux", "x86_64",
          "cpython", "CPython", "foo", "dev", "Dev_Tools", "z"]
ENVIRONMENTS = [(full, release, extra) for full in ["3.12.7", "3.13.0rc1"]
                for release in ["", "5.15.0", "6.5.0-1025-azure"] for extra in ["", "dev-tools"]]


def environment(full, release, extra):
    return {"python_version": ".".join(full.split(".")[:2]), "python_full_version": full,
            "sys_platform": "linux", "platform_system": "Linux", "platform_machine": "x86_64", "os_name": "posix",
            "implementation_name": "cpython", "platform_python_implementation": "CPython",
            "implementation_version": full, "platform_release": release, "platform_version": "", "extra": extra,
            "extras": {extra} if extra else set(), "dependency_groups": set()}


def quoted(value):
    return f'"{value}"'


MARKERS = [f"{v} {op} {quoted(x)}" for v in VARIABLES for op in OPERATORS for x in VALUES]
MARKERS += [f"{quoted(x)} {op} {v}" for v in VARIABLES for op in OPERATORS for x in VALUES]
# Two strings, two variables, the PEP 751 sets, keyword case, and and/or with undefined parts.
MARKERS += ['"a" == "a"', 'python_version == python_full_version', 'os_name == os_name', '"dev-tools" in extras',
            '"dev_tools" not in extras', '"x" in extras', 'extras == "x"', '"x" == extras', '"x" <= extras',
            'dependency_groups in "x"', 'os_name == "posix" AND python_version > "3"', 'os_name IN "posix"',
            'os_name not  in "posix"', 'os_name == "posix" or python_version ~= "3"',
            'python_version > "3" and (platform_release < "5.0" or os_name > "a")']

print(f"# written by make_marker_forms.py with packaging {packaging.__version__}")
for i, (full, release, extra) in enumerate(ENVIRONMENTS):
    print(f"environment\t{i}\tpython_full_version={full} platform_release={release} extra={extra}")
for text in MARKERS:
    try:
        marker = Marker(text)
    except InvalidMarker:
        print(f"{text}\tinvalid")
        continue
    results = []
    for full, release, extra in ENVIRONMENTS:
        try:
            results.append("t" if marker.evaluate(environment(full, release, extra), context="lock_file") else "f")
        except (UndefinedComparison, KeyError, AssertionError, TypeError):
            results.append("u")
    print(f"{text}\t{''.join(results)}")
