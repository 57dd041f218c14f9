"""A synthetic data/ N times larger than the shipped one, for benchmarks only.

Every profession, specialty, college and employer is cloned N-1 times with new slugs,
codes and slightly varied names, so the index, the vocabulary and the facets all grow
N-fold while staying valid for `atlas build`.

The cards' checks read each "Where to study" note against the table under it; with random
colleges offering every specialty, and clones linking cloned specialties, a note's "no data
on other colleges" or its «specialty» would no longer agree, so every card's note loses
those sentences and quotation marks (plain_note).
"""

import csv
import random
import shutil
import sys
from pathlib import Path

import yaml

from atlas.dataset.cardchecks import NO_DATA

SUFFIXES_KK = ["жаңа", "аймақтық", "өнеркәсіптік", "цифрлық", "кәсіби", "аға", "кіші", "бас", "далалық", "қалалық"]
SUFFIXES_RU = ["новый", "региональный", "промышленный", "цифровой", "профильный", "старший", "младший", "главный", "полевой", "городской"]


def read(path):
    with open(path, encoding="utf-8") as f:
        return list(csv.DictReader(f))


def write(path, rows):
    with open(path, "w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def plain_note(note, lang):
    """A study note without its sentences about missing data and without «quotes»."""
    sentences = [s for s in (note or "").split(". ") if not NO_DATA[lang].search(s)]
    return (". ".join(sentences) or "—").replace("«", "").replace("»", "")


def grow(source, target, factor, seed=2025):
    rng = random.Random(seed)
    shutil.copytree(source, target)
    target = Path(target)
    towns = [t["slug"] for t in read(target / "towns.csv")]

    specialties = read(target / "specialties.csv")
    qualifications = read(target / "qualifications.csv")
    new_specialties, new_qualifications, specialty_clones = [], [], {}
    coded = [s for s in specialties if s["code"]]
    for i in range(1, factor):
        for n, s in enumerate(coded):
            code = f"9{i:02d}{n:03d}00"  # unique for up to 99 copies of 999 specialties
            clone = {**s, "slug": code, "code": code, "name_kk": f"{s['name_kk']} {SUFFIXES_KK[i % 10]} {i}",
                     "name_ru": f"{s['name_ru']} {SUFFIXES_RU[i % 10]} {i}"}
            specialty_clones[(s["slug"], i)] = code
            new_specialties.append(clone)
            for q in (q for q in qualifications if q["specialty"] == s["slug"]):
                new_qualifications.append({**q, "code": code[:6] + q["code"][6:], "specialty": code})
    write(target / "specialties.csv", specialties + new_specialties)
    write(target / "qualifications.csv", qualifications + new_qualifications)

    colleges = read(target / "colleges.csv")
    new_colleges = [{**c, "slug": f"{c['slug']}-{i}", "name_kk": f"{c['name_kk']} №{i}", "name_ru": f"{c['name_ru']} №{i}",
                     "town": rng.choice(towns), "languages": rng.choice(["kk;ru", "kk", "ru"]), "verified": "no",
                     **({"status": "unverified"} if "status" in c else {}),
                     "note_kk": c["note_kk"], "note_ru": c["note_ru"]}
                    for i in range(1, factor * 3) for c in colleges]
    write(target / "colleges.csv", colleges + new_colleges)
    all_colleges = [c["slug"] for c in colleges + new_colleges]

    offerings = read(target / "offerings.csv")
    state_order = read(target / "state_order.csv")
    source = read(target / "sources.csv")[0]["slug"]
    seen = {(o["college"], o["specialty"]) for o in offerings}
    all_specialties = [s["slug"] for s in specialties + new_specialties]
    while len(offerings) < len(all_specialties) * 3:
        college, specialty = rng.choice(all_colleges), rng.choice(all_specialties)
        if (college, specialty) in seen:
            continue
        seen.add((college, specialty))
        values = {"college": college, "specialty": specialty, "languages": rng.choice(["kk;ru", "kk", "ru"]),
                  "entry_grades": rng.choice(["9;11", "9", "11"]), "dual": rng.choice(["yes", "no"]), "verified": "no"}
        offerings.append({column: values.get(column, "") for column in offerings[0]})  # the file's own columns
        state_order.append({"year": "2025", "college": college, "specialty": specialty,
                            "places": str(rng.randint(10, 100)), "source": source})
    write(target / "offerings.csv", offerings)
    if state_order:
        write(target / "state_order.csv", state_order)

    employers = read(target / "employers.csv")
    new_employers = [{**e, "slug": f"{e['slug']}-{i}", "name_kk": f"{e['name_kk']} {i}", "name_ru": f"{e['name_ru']} {i}",
                      "verified": "no", "source": ""} for i in range(1, factor) for e in employers]
    write(target / "employers.csv", employers + new_employers)

    cards = sorted((target / "professions").glob("*.yaml"))
    for path in cards:
        card = yaml.safe_load(path.read_text(encoding="utf-8"))
        card.update({f"study_note_{lang}": plain_note(card[f"study_note_{lang}"], lang) for lang in ("kk", "ru")})
        path.write_text(yaml.safe_dump(card, allow_unicode=True, sort_keys=False), encoding="utf-8")
    for i in range(1, factor):
        for path in cards:
            card = yaml.safe_load(path.read_text(encoding="utf-8"))
            slug = f"{card['slug']}-{i}"
            card.update(
                slug=slug, name_kk=f"{card['name_kk']} ({SUFFIXES_KK[i % 10]} {i})",
                name_ru=f"{card['name_ru']} ({SUFFIXES_RU[i % 10]} {i})",
                related=[f"{r}-{i}" for r in card["related"]],
                study=[{**link, "specialty": specialty_clones.get((str(link["specialty"]), i), str(link["specialty"])),
                        **({"qualification": specialty_clones[(str(link["specialty"]), i)][:6] + str(link["qualification"])[6:]}
                           if link.get("qualification") and (str(link["specialty"]), i) in specialty_clones else {})}
                       for link in card["study"]],
            )
            (target / "professions" / f"{slug}.yaml").write_text(
                yaml.safe_dump(card, allow_unicode=True, sort_keys=False), encoding="utf-8")


if __name__ == "__main__":
    grow(sys.argv[1], sys.argv[2], int(sys.argv[3]))
