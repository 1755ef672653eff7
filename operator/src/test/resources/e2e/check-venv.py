# Run by RealBuildIT inside a built image with the venv's Python, as the image's user: prints a JSON report of the
# distributions installed in the venv and of every bytecode file under it, judged by Python itself, and imports the
# given modules in a fresh interpreter with -v to see whether the import system takes their bytecode.
import importlib.metadata
import importlib.util
import json
import os
import re
import subprocess
import sys
import sysconfig

CHECKED_HASH_FLAGS = 0b11  # PEP 552: hash-based, check_source


def header_problem(pyc, source_path):
    with open(pyc, "rb") as f:
        header = f.read(16)
    with open(source_path, "rb") as f:
        source = f.read()
    if header[:4] != importlib.util.MAGIC_NUMBER:
        return "bad magic number: " + pyc
    flags = int.from_bytes(header[4:8], "little")
    if flags != CHECKED_HASH_FLAGS:
        return "not checked-hash bytecode (flags %d): %s" % (flags, pyc)
    if header[8:16] != importlib.util.source_hash(source):
        return "bytecode does not match its source: " + pyc
    return None


def main(modules):
    prefix = sys.prefix
    site = sorted({os.path.realpath(sysconfig.get_path(n)) for n in ("purelib", "platlib")})
    problems = []
    left_as_source = []
    sources = pycs = 0
    for root in site:
        for directory, subdirectories, files in os.walk(root):
            subdirectories.sort()
            for name in sorted(files):
                if not name.endswith(".py"):
                    continue
                sources += 1
                path = os.path.join(directory, name)
                pyc = importlib.util.cache_from_source(path)
                if not os.path.exists(pyc):
                    with open(path, "rb") as f:
                        source = f.read()
                    try:
                        compile(source, path, "exec", dont_inherit=True)
                        problems.append("no bytecode for " + path)
                    except SyntaxError:
                        left_as_source.append(path)
    for directory, subdirectories, files in os.walk(prefix):
        subdirectories.sort()
        for name in sorted(files):
            if not name.endswith(".pyc"):
                continue
            pycs += 1
            pyc = os.path.join(directory, name)
            try:
                source_path = importlib.util.source_from_cache(pyc)
            except ValueError:
                problems.append("bytecode outside __pycache__: " + pyc)
                continue
            if not os.path.exists(source_path):
                problems.append("bytecode without its source: " + pyc)
                continue
            problem = header_problem(pyc, source_path)
            if problem:
                problems.append(problem)

    distributions = sorted("%s==%s" % (re.sub(r"[-_.]+", "-", d.metadata["Name"]).lower(), d.version)
                           for d in importlib.metadata.distributions(path=site))

    # the import system's own verdict: with -v it names the file each code object came from, and why it
    # rejected bytecode when it does
    verbose = subprocess.run([sys.executable, "-v", "-c", "import " + ", ".join(modules)],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, universal_newlines=True)
    code_from = re.findall(r"^# code object from '?([^'\n]+)'?$", verbose.stderr, re.M)
    from_venv = [p for p in code_from if p.startswith(prefix + "/")]
    rejected = re.findall(r"^# (?:bytecode is stale|hash in bytecode doesn't match|bad magic number).*$",
                          verbose.stderr, re.M)
    print(json.dumps({
        "prefix": prefix,
        "distributions": distributions,
        "sources": sources,
        "pycs": pycs,
        "problems": problems,
        "leftAsSource": left_as_source,
        "importExitCode": verbose.returncode,
        "importedFromVenv": from_venv,
        "importRejections": rejected,
    }))


main(sys.argv[1:])
