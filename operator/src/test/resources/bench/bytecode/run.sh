#!/bin/sh
# Cold import of a package with many modules in images built four ways, as docs/benchmarks.md describes
# ("Cold import with the image's bytecode"). Needs root, buildah, and the e2e base image that RealBuildIT caches
# (run it once first). Usage: run.sh [ROUNDS] [BASE_OCI_LAYOUT]
set -eu
rounds=${1:-20}
layout=${2:-$(ls -d "${TMPDIR:-/tmp}"/envforge-e2e/python-base-*/oci | head -n 1)}
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'buildah $store rm --all >/dev/null 2>&1 || true; buildah $store umount --all >/dev/null 2>&1 || true; rm -rf "$work"' EXIT
store="--root $work/root --runroot $work/runroot --storage-driver vfs"
export BUILDAH_ISOLATION=chroot
wheel=/usr/share/python-wheels/setuptools-66.1.1-py3-none-any.whl
compile=$here/../../../../main/resources/dev/envforge/core/recipe/compile-bytecode.py

buildah $store pull -q "oci:$layout" >/dev/null
base=$(buildah $store images -q | head -n 1)
pip_outside="python3 -m pip --python /opt/venv/bin/python install --no-compile --no-cache-dir --disable-pip-version-check --no-deps --no-input"
# recipe 1: a venv seeded with pip and setuptools; pip writes timestamp-based bytecode
recipe1="set -eu; python3 -m venv /opt/venv; /opt/venv/bin/pip install --no-cache-dir --disable-pip-version-check --no-deps --no-input --force-reinstall /ctx/$(basename $wheel)"
# no bytecode at all
none="set -eu; export PYTHONDONTWRITEBYTECODE=1; python3 -m venv --without-pip /opt/venv; $pip_outside /ctx/$(basename $wheel)"
# recipe 2: checked-hash bytecode
checked="$none; PYTHONHASHSEED=0 /opt/venv/bin/python /ctx/compile-bytecode.py"
for variant in recipe1 none checked unchecked; do
  mkdir -p "$work/$variant"
  cp "$wheel" "$work/$variant/"
  sed "s/CHECKED_HASH/$( [ $variant = unchecked ] && echo UNCHECKED_HASH || echo CHECKED_HASH )/" "$compile" \
    > "$work/$variant/compile-bytecode.py"
  case $variant in recipe1) run=$recipe1 ;; none) run=$none ;; *) run=$checked ;; esac
  printf 'FROM %s\nCOPY . /ctx/\nRUN ["/bin/sh", "-c", "%s"]\nENV VIRTUAL_ENV=/opt/venv PATH=/opt/venv/bin:$PATH PYTHONDONTWRITEBYTECODE=1\nUSER 65532:65532\n' \
    "$base" "$run" > "$work/$variant/Dockerfile"
  buildah $store bud -q --isolation chroot --pull=never --layers --no-cache --timestamp 0 -t "localhost/$variant" \
    "$work/$variant" >/dev/null
done
for variant in recipe1 none checked unchecked; do
  c=$(buildah $store from --pull=never "localhost/$variant")
  echo "$variant, as built, load $(cut -d' ' -f1 /proc/loadavg): $(buildah $store run --isolation chroot --user 65532:65532 \
    -v "$here/import_cpu.py:/import_cpu.py:ro" "$c" -- /opt/venv/bin/python /import_cpu.py "$rounds" 'import setuptools')"
  # the standard library compiled too, in this container only: what is left is the venv's own share
  buildah $store run --isolation chroot --user 0:0 "$c" -- /usr/bin/python3 -m compileall -q /usr/lib/python3.11 \
    >/dev/null 2>&1 || true
  echo "$variant, stdlib compiled, load $(cut -d' ' -f1 /proc/loadavg): $(buildah $store run --isolation chroot --user 65532:65532 \
    -v "$here/import_cpu.py:/import_cpu.py:ro" "$c" -- /opt/venv/bin/python /import_cpu.py "$rounds" 'import setuptools')"
  buildah $store rm "$c" >/dev/null
done
