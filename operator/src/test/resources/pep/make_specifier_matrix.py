#!/usr/bin/env python3
"""Writes specifier-matrix.txt: every PEP 440 operator on versions built from every combination of release, pre,
post, dev and local segments, against candidates built the same way, as the 'packaging' library (26.2) judges them.

Run as: python3 make_specifier_matrix.py > specifier-matrix.txt   (needs packaging >= 26; 26.2 was used)

Older packaging (Debian's python3-packaging 23.0 among them) applies the exclusive-bound rules of '>V' and '<V' to
V's release numbers alone, so the table must come from a current packaging.

Lines:
  '# ...'                        comments (the packaging version that wrote the table)
  'candidates<TAB>v1 v2 ...'     the candidate versions, space-separated, in the order of the result columns
  '<specifier><TAB>invalid'      a specifier packaging refuses
  '<specifier><TAB><digits>'     one digit per candidate, a bit mask of three modes of SpecifierSet(spec):
     1: contains(v, prereleases=True)                  (envforge: containsAllowingPrereleases, the locked-version test)
     2: contains(v, prereleases=bool(set.prereleases)) (envforge: contains; pre-releases only if a clause names one)
     4: contains(v)                                    (envforge: filter([v]); packaging's default for one candidate)
"""
import itertools
import sys

import packaging
from packaging.specifiers import InvalidSpecifier, SpecifierSet
from packaging.version import Version

if int(packaging.__version__.split(".")[0]) < 26:
    sys.exit(f"packaging {packaging.__version__} is too old: use 26 or newer")


def versions(releases, pres, posts, devs, locals_):
    return ["".join(parts) for parts in itertools.product(releases, pres, posts, devs, locals_)]


# Around the specifier versions below: each segment lower, equal, higher and absent.
CANDIDATES = versions(["0.9", "1", "1.0", "1.0.0", "1.0.1", "1.1", "2.0"], ["", "a1", "rc1", "rc2"],
                      ["", ".post0", ".post1", ".post2"], ["", ".dev0", ".dev1", ".dev2"], ["", "+abc", "+1"])
# Epochs and spellings that are not normalized ('===' compares the text as written).
CANDIDATES += ["1!0.5", "1!1.0", "1!1.0rc1", "v1.0", "1.0-1", "1.0RC1", "1.0.POST1", "1.0+ABC", "1.0c1",
               "1.0.0-dev1", "1.0_a1", "1.0+abc.1", "1.0+abc-1", "1.0+1.abc"]

SPEC_VERSIONS = versions(["1.0", "1.0.0"], ["", "rc1"], ["", ".post1"], ["", ".dev1"], ["", "+abc"])
SPEC_VERSIONS += ["1", "1rc1", "1.post1", "1.dev1", "1+abc", "1!1.0", "1!1.0rc1", "0!1.0", "1.0RC1", "1.0-1", "v1.0", "1.0c1", "foo"]
OPERATORS = ["<", "<=", ">", ">=", "==", "!=", "~=", "==="]
# packaging derives the '~=' prefix from the text as written, so '~=v1.0' matches nothing and '~=1.0c1' means
# '>=1.0rc1,==1.0.*'; PEP 440 normalizes first (as envforge does), so '~=' is tried with normalized versions only.
SPECIFIERS = [op + v for op in OPERATORS for v in SPEC_VERSIONS
              if op != "~=" or v == "foo" or str(Version(v)) == v]
SPECIFIERS += [op + p for op in OPERATORS for p in ["1.*", "1.0.*", "1.0.0.*", "1.1.*", "1!1.*", "1.0rc1.*",
                                                     "1.0.post1.*"]]
# Sets: the pre-release mode belongs to the set, not to one clause.
SPECIFIERS += [">=1.0,<2.0", ">=1.0rc1,<2.0", ">=1.0,!=1.0rc1", ">1.0rc1,<1.0.post1", ">=1.0,<1.0.1,!=1.0.post1",
               "~=1.0,!=1.0.post0", ">0.9,<1.0rc2", "==1.0.*,!=1.0rc1", ">1.0.dev1,<=1.0", ""]

print(f"# written by make_specifier_matrix.py with packaging {packaging.__version__}")
print("candidates\t" + " ".join(CANDIDATES))
for text in SPECIFIERS:
    try:
        spec = SpecifierSet(text)
    except InvalidSpecifier:
        print(f"{text}\tinvalid")
        continue
    named = bool(spec.prereleases)
    digits = []
    for candidate in CANDIDATES:
        mask = (1 if spec.contains(candidate, prereleases=True) else 0) \
            | (2 if spec.contains(candidate, prereleases=named) else 0) \
            | (4 if spec.contains(candidate) else 0)
        digits.append(str(mask))
    print(f"{text}\t{''.join(digits)}")
