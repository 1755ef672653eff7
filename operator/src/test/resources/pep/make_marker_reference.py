#!/usr/bin/env python3
"""Evaluates every corpus marker with the 'packaging' library for several Linux CPython targets and extras.

Run once as: python3 make_marker_reference.py > marker-reference.tsv   (packaging 26.2 was used)
Columns: marker, python_full_version, platform_machine, extra ('' for none), dependency group ('' for none), result.
"""
import re
import sys

from packaging.markers import Marker
from packaging.utils import canonicalize_name

TARGETS = [("3.12.7", "x86_64"), ("3.11.7", "aarch64"), ("3.9.7", "x86_64"), ("3.13.7", "aarch64"),
           ("3.10.7", "x86_64")]

for text in open("markers.txt", encoding="utf-8").read().splitlines():
    extras = sorted({canonicalize_name(n) for n in re.findall(r"extra\s*[=!]=\s*['\"]([^'\"]+)", text)}
                    | {canonicalize_name(n) for n in re.findall(r"['\"]([^'\"]+)['\"]\s+(?:not\s+)?in\s+extras", text)})
    groups = sorted({canonicalize_name(n)
                     for n in re.findall(r"['\"]([^'\"]+)['\"]\s+(?:not\s+)?in\s+dependency_groups", text)})
    marker = Marker(text)
    for full, machine in TARGETS:
        for extra in [""] + extras:
            for group in [""] + groups:
                env = {
                    "python_version": ".".join(full.split(".")[:2]), "python_full_version": full,
                    "sys_platform": "linux", "platform_system": "Linux", "platform_machine": machine,
                    "os_name": "posix", "implementation_name": "cpython", "platform_python_implementation": "CPython",
                    "implementation_version": full, "platform_release": "", "platform_version": "",
                    "extra": extra, "extras": {extra} if extra else set(), "dependency_groups": {group} if group else set(),
                }
                result = marker.evaluate(env)
                sys.stdout.write("\t".join([text, full, machine, extra, group, str(result).lower()]) + "\n")
