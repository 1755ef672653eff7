#!/usr/bin/env python3
"""Writes the tag triples 'packaging' (26.2) supports for Linux CPython targets to wheel-tags.tsv.

Run once as: python3 make_wheel_tag_reference.py
Columns: python version, machine, python tag, abi tag, platform tag, supported. For each target the supported triples
are packaging.tags.cpython_tags + compatible_tags with the platforms pip derives for glibc 2.39; the unsupported rows
are the other combinations of the tags seen in any target (same platform family), which must be rejected.
"""
from packaging import tags

rows = []
for machine in ["x86_64", "aarch64"]:
    platforms = [f"manylinux_2_{m}_{machine}" for m in range(39, 16, -1)]
    if machine == "x86_64":
        platforms += [f"manylinux_2_{m}_{machine}" for m in range(16, 4, -1)]
        platforms.insert(platforms.index("manylinux_2_12_x86_64") + 1, "manylinux2010_x86_64")
        platforms.insert(platforms.index("manylinux_2_5_x86_64") + 1, "manylinux1_x86_64")
    platforms.insert(platforms.index(f"manylinux_2_17_{machine}") + 1, f"manylinux2014_{machine}")
    platforms.append(f"linux_{machine}")
    all_triples = {}
    for minor in [9, 12, 13]:
        supported = {(t.interpreter, t.abi, t.platform)
                     for t in list(tags.cpython_tags((3, minor), abis=[f"cp3{minor}", "abi3", "none"], platforms=platforms))
                     + list(tags.compatible_tags((3, minor), f"cp3{minor}", platforms))}
        all_triples[minor] = supported
    pythons = sorted({t[0] for s in all_triples.values() for t in s} | {"py2", "cp27", "pp310"})
    abis = sorted({t[1] for s in all_triples.values() for t in s} | {"cp313t", "pypy310_pp73"})
    plats = ["any", f"linux_{machine}", f"manylinux_2_17_{machine}", f"musllinux_1_2_{machine}",
             "linux_i686" if machine == "x86_64" else "linux_armv7l", "win_amd64", "macosx_11_0_arm64"]
    for minor, supported in all_triples.items():
        for p in pythons:
            for a in abis:
                for plat in plats:
                    rows.append((f"3.{minor}", machine, p, a, plat, (p, a, plat) in supported))
        # every supported manylinux/legacy platform once, with the first python/abi pair it supports
        seen = set(plats)
        for (p, a, plat) in sorted(supported):
            if plat not in seen:
                seen.add(plat)
                rows.append((f"3.{minor}", machine, p, a, plat, True))

with open("wheel-tags.tsv", "w", encoding="utf-8") as out:
    for r in rows:
        out.write("\t".join(r[:5]) + "\t" + str(r[5]).lower() + "\n")
print(len(rows))
