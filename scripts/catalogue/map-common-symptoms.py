#!/usr/bin/env python3
"""Proposes HPO terms for the common diseases' symptom names (the Kaggle table's), for review.

Prints CSV rows symptom,hpo_id,hpo_label,match: 'exact-label' where the symptom's name equals a
current term's name, 'exact-synonym' where it equals an EXACT synonym, 'candidate' for a
RELATED/BROAD/NARROW synonym, and 'none' otherwise. Names are compared as SymptomNames.code does
(lower case, non-alphanumeric runs as one '_'). The output is a starting point only: the reviewed
file is conf/catalogue/common-symptom-hpo.csv, where every row is checked by a person
(match = curated where the review chose another term or none).

  scripts/catalogue/map-common-symptoms.py ../shared/data/external/hpo-orphanet/hp.obo \
      lib/src/main/resources/catalogue/disease-catalogue.json
"""
import json
import re
import sys


def code(text):
    return re.sub(r"^_|_$", "", re.sub(r"[^a-z0-9]+", "_", text.strip().lower()))


def terms(obo_path):
    term = None
    with open(obo_path, encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if line.startswith("["):
                if term:
                    yield term
                term = {"synonyms": [], "obsolete": False} if line == "[Term]" else None
            elif term is not None and ": " in line:
                tag, value = line.split(": ", 1)
                if tag == "id":
                    term["id"] = value
                elif tag == "name":
                    term["name"] = value
                elif tag == "is_obsolete" and value.strip() == "true":
                    term["obsolete"] = True
                elif tag == "synonym":
                    m = re.match(r'"((?:[^"\\]|\\.)*)"\s+([A-Z]+)', value)
                    if m:
                        term["synonyms"].append((m.group(1), m.group(2)))
    if term:
        yield term


def main(obo_path, catalogue_path):
    catalogue = json.load(open(catalogue_path, encoding="utf-8"))
    symptoms = sorted({s["symptom"] for d in catalogue["diseases"] if d["group"] == "COMMON" for s in d["symptoms"]})
    by_label, by_exact, by_other = {}, {}, {}
    for t in terms(obo_path):
        if t["obsolete"] or not t.get("id", "").startswith("HP:"):
            continue
        by_label.setdefault(code(t["name"]), t)
        for text, kind in t["synonyms"]:
            (by_exact if kind == "EXACT" else by_other).setdefault(code(text), t)
    print("symptom,hpo_id,hpo_label,match")
    for s in symptoms:
        for index, match in ((by_label, "exact-label"), (by_exact, "exact-synonym"), (by_other, "candidate")):
            t = index.get(s)
            if t:
                print(f'{s},{t["id"]},"{t["name"]}",{match}')
                break
        else:
            print(f"{s},,,none")


if __name__ == "__main__":
    main(*sys.argv[1:3])
