"""Writes the largest inputs envforge accepts (each lock just under the 16 MiB limit) and one just as large with a
syntax error on its last line, from the test corpus, for the memory figures of docs/reliability.md:

    python3 operator/src/test/resources/large-inputs/make_large_inputs.py /tmp/large
    java -Xmx256m -Xlog:gc:file=gc.log -jar operator/target/envforge.jar resolve /tmp/large/poetry

Packages are copied under new names (unreachable from the project), so the plan stays that of the real project."""
import os
import re
import sys

CORPUS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "corpus")
LIMIT = 16 * 1024 * 1024 - 200_000


def grow(text, rename, limit):
    first = text.index("[[package]]")
    packages = text[first:]
    out, size, n = [text], len(text), 0
    while True:
        n += 1
        chunk = rename(packages, n)
        if size + len(chunk) + 1 > limit:
            return "\n".join(out)
        out.append(chunk)
        size += len(chunk) + 1


def write(folder, name, text):
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, name), "w", encoding="utf-8", newline="\n") as f:
        f.write(text)


def main(target):
    case = os.path.join(CORPUS, "poetry-pixeltable-pixeltable")
    lock = open(os.path.join(case, "poetry.lock"), encoding="utf-8").read()
    body, metadata = lock.split("\n[metadata]", 1)
    grown = grow(body, lambda p, n: p.replace('name = "', 'name = "x%d-' % n), LIMIT - len(metadata))
    pyproject = open(os.path.join(case, "pyproject.toml"), encoding="utf-8").read()
    write(os.path.join(target, "poetry"), "poetry.lock", grown + "\n[metadata]" + metadata)
    write(os.path.join(target, "poetry"), "pyproject.toml", pyproject)
    write(os.path.join(target, "poetry-error-at-end"), "poetry.lock",
          grown + "\n[metadata]" + metadata + "broken = = 1\n")
    write(os.path.join(target, "poetry-error-at-end"), "pyproject.toml", pyproject)

    case = os.path.join(CORPUS, "uv-All-Hands-AI-OpenHands")
    lock = open(os.path.join(case, "uv.lock"), encoding="utf-8").read()
    rename = lambda p, n: re.sub(r'\{ name = "', '{ name = "y%d-' % n, re.sub(r'(?m)^name = "', 'name = "y%d-' % n, p))
    write(os.path.join(target, "uv"), "uv.lock", grow(lock, rename, LIMIT))
    write(os.path.join(target, "uv"), "pyproject.toml",
          open(os.path.join(case, "pyproject.toml"), encoding="utf-8").read())

    lines, size, k = [], 0, 0
    while True:
        line = "pkg%d==1.0.%d \\\n    --hash=sha256:%064x \\\n    --hash=sha256:%064x\n" % (k, k, k, k + 1)
        if size + len(line) > LIMIT:
            break
        lines.append(line)
        size += len(line)
        k += 1
    write(os.path.join(target, "requirements"), "requirements.txt", "".join(lines))


main(sys.argv[1])
