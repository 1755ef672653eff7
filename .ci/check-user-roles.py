#!/usr/bin/env python3
"""Checks what a rendering of the envforge chart aggregates into the built-in view, edit and admin ClusterRoles.

Usage: check-user-roles.py RENDERED.yaml present|absent
present: view gets exactly read access to PythonEnvironments and EnvironmentPolicies (and their status); edit and
admin get that plus writing PythonEnvironments, never their status, never policies, nothing outside envforge.dev.
absent: nothing is aggregated into a built-in role.
"""
import sys

import yaml

READ = {"get", "list", "watch"}
WRITE = {"create", "update", "patch", "delete", "deletecollection"}
READABLE = {"pythonenvironments", "pythonenvironments/status", "environmentpolicies", "environmentpolicies/status"}
VIEW = {(verb, "envforge.dev", resource) for verb in READ for resource in READABLE}
EDIT = VIEW | {(verb, "envforge.dev", "pythonenvironments") for verb in WRITE}
EXPECTED = {"view": VIEW, "edit": EDIT, "admin": EDIT}


def aggregated(documents):
    granted = {role: set() for role in EXPECTED}
    for doc in documents:
        if not doc or doc.get("kind") != "ClusterRole":
            continue
        labels = (doc.get("metadata") or {}).get("labels") or {}
        for role in EXPECTED:
            if labels.get("rbac.authorization.k8s.io/aggregate-to-" + role) != "true":
                continue
            for rule in doc.get("rules") or []:
                for group in rule.get("apiGroups", []):
                    for resource in rule.get("resources", []):
                        for verb in rule.get("verbs", []):
                            granted[role].add((verb, group, resource))
    return granted


def main():
    path, mode = sys.argv[1], sys.argv[2]
    with open(path) as f:
        granted = aggregated(yaml.safe_load_all(f))
    failed = False
    for role, expected in EXPECTED.items():
        want = expected if mode == "present" else set()
        for extra in sorted(granted[role] - want):
            print(f"FAIL aggregated into {role}: unexpected {' '.join(extra)}", file=sys.stderr)
            failed = True
        for missing in sorted(want - granted[role]):
            print(f"FAIL aggregated into {role}: missing {' '.join(missing)}", file=sys.stderr)
            failed = True
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
