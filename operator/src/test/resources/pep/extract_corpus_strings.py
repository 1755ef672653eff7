#!/usr/bin/env python3
"""Extracts the distinct PEP 440 / PEP 508 / Poetry strings of the lock-file corpus into one-per-line text files.

Run once as: python3 extract_corpus_strings.py /work/shared/corpus
The outputs are checked in, so the tests do not need the corpus.
"""
import pathlib
import sys
import tomllib

root = pathlib.Path(sys.argv[1])
markers, requirements, poetry_constraints, pep440_specifiers, versions = set(), set(), set(), set(), set()


def add_marker(value):
    if isinstance(value, str):
        markers.add(value)
    elif isinstance(value, dict):  # poetry 2.1 per-group markers table
        for v in value.values():
            add_marker(v)


def poetry_dependency(spec):
    for item in spec if isinstance(spec, list) else [spec]:
        if isinstance(item, str):
            poetry_constraints.add(item)
        elif isinstance(item, dict):
            if "version" in item:
                poetry_constraints.add(item["version"])
            if "python" in item:
                poetry_constraints.add(item["python"])
            if "markers" in item:
                add_marker(item["markers"])


def poetry_lock(doc):
    for package in doc.get("package", []):
        versions.add(package["version"])
        if "python-versions" in package:  # Poetry syntax ("*" occurs)
            poetry_constraints.add(package["python-versions"])
        add_marker(package.get("markers"))
        for spec in package.get("dependencies", {}).values():
            poetry_dependency(spec)
        for reqs in package.get("extras", {}).values():
            requirements.update(reqs)
    meta = doc.get("metadata", {})
    if "python-versions" in meta:
        poetry_constraints.add(meta["python-versions"])


def uv_lock(doc):
    if "requires-python" in doc:
        pep440_specifiers.add(doc["requires-python"])
    markers.update(doc.get("resolution-markers", []))
    for package in doc.get("package", []):
        if "version" in package:
            versions.add(package["version"])
        markers.update(package.get("resolution-markers", []))
        deps = list(package.get("dependencies", []))
        for group in package.get("optional-dependencies", {}).values():
            deps += group
        for group in package.get("dev-dependencies", {}).values():
            deps += group
        meta = package.get("metadata", {})
        deps += meta.get("requires-dist", [])
        for group in meta.get("requires-dev", {}).values():
            deps += group
        for dep in deps:
            add_marker(dep.get("marker"))
            if "specifier" in dep:
                pep440_specifiers.add(dep["specifier"])


def pylock(doc):
    if "requires-python" in doc:
        pep440_specifiers.add(doc["requires-python"])
    markers.update(doc.get("environments", []))
    for package in doc.get("packages", []):
        if "version" in package:
            versions.add(package["version"])
        add_marker(package.get("marker"))
        if "requires-python" in package:
            pep440_specifiers.add(package["requires-python"])


def pyproject(doc):
    project = doc.get("project", {})
    requirements.update(project.get("dependencies", []))
    for reqs in project.get("optional-dependencies", {}).values():
        requirements.update(reqs)
    if "requires-python" in project:
        pep440_specifiers.add(project["requires-python"])
    for reqs in doc.get("dependency-groups", {}).values():
        requirements.update(r for r in reqs if isinstance(r, str))
    requirements.update(doc.get("tool", {}).get("uv", {}).get("dev-dependencies", []))
    poetry = doc.get("tool", {}).get("poetry", {})
    for table in [poetry.get("dependencies", {}), poetry.get("dev-dependencies", {})] + [
            g.get("dependencies", {}) for g in poetry.get("group", {}).values()]:
        for spec in table.values():
            poetry_dependency(spec)


for path in sorted(root.rglob("*")):
    if "expected" in path.parts or not path.is_file():
        continue
    handler = {"poetry.lock": poetry_lock, "uv.lock": uv_lock, "pyproject.toml": pyproject}.get(path.name)
    if handler is None and path.name.startswith("pylock") and path.suffix == ".toml":
        handler = pylock
    if handler is None:
        continue
    with open(path, "rb") as f:
        handler(tomllib.load(f))

for name, values in [("markers.txt", markers), ("requirements.txt", requirements),
                     ("poetry-constraints.txt", poetry_constraints), ("pep440-specifiers.txt", pep440_specifiers),
                     ("versions.txt", versions)]:
    values = sorted(v for v in values if v is not None and "\n" not in v)
    pathlib.Path(name).write_text("".join(v + "\n" for v in values), encoding="utf-8")
    print(name, len(values))
