#!/usr/bin/env python3
"""Writes reference answers of the 'packaging' library (26.2) for the corpus versions and specifiers.

Run once as: python3 make_version_reference.py
- versions-sorted.txt: versions.txt sorted by packaging.version.Version, each with its normalized form (tab).
- specifier-reference.tsv: for each corpus PEP 440 specifier and probe version, whether the specifier contains it
  with pre-releases allowed (prereleases=True).
"""
from packaging.specifiers import SpecifierSet
from packaging.version import Version

versions = open("versions.txt", encoding="utf-8").read().splitlines()
with open("versions-sorted.txt", "w", encoding="utf-8") as out:
    for v in sorted(versions, key=Version):
        out.write(f"{v}\t{Version(v)}\n")

PROBES = ["2.7", "3.0", "3.5.2", "3.7", "3.8", "3.8.0", "3.8.1", "3.9", "3.9.0", "3.9.1", "3.9.7", "3.10", "3.10.7",
          "3.11", "3.11.0a6", "3.11.7", "3.12", "3.12.0rc1", "3.12.7", "3.13", "3.13.0.dev0", "3.13.7", "3.14",
          "4.0", "4.0.0a1", "4.0.post1", "3.12.7+local"]
specs = open("pep440-specifiers.txt", encoding="utf-8").read().splitlines()
with open("specifier-reference.tsv", "w", encoding="utf-8") as out:
    for s in specs:
        spec = SpecifierSet(s)
        for p in PROBES:
            out.write(f"{s}\t{p}\t{str(spec.contains(p, prereleases=True)).lower()}\n")
