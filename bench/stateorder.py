"""The import of a 5 000-row state-order table (the whole country's scale), timed, with its peak memory.

Run as its own process (`python -m bench.stateorder csv|xlsx`) so that the peak resident size is the
import's and not the benchmark's: it prints one JSON line. The table is made here: every college of
data/ by its official long name, the shipped specialties and codes the atlas lacks (with names),
Russian headers, one row per language, entry grade and year, as a department writes it.
"""

import csv
import io
import json
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

ROWS = 5000
HEADER = ["Год", "Колледж", "Код специальности", "Наименование специальности", "Квалификация", "Язык обучения",
          "Количество мест", "На базе", "Срок обучения", "Платные места", "Дуальное обучение"]


def table(data, rows=ROWS):
    colleges = [f"КГКП «{c['name_ru']}» управления образования ВКО" for c in data["colleges"]]
    known = [s["slug"] for s in data["specialties"] if s["code"]]
    new = [f"{code:06d}00" for code in range(990001, 990001 + 60)]
    specialties = [(code, "") for code in known] + [(code, f"Специальность {code}") for code in new]
    found = [HEADER]
    for year in (2025, 2026):
        for college in colleges:
            for code, name in specialties:
                for grade, language in (("9", "каз"), ("9", "рус"), ("11", "рус")):
                    if len(found) > rows:
                        return found
                    found.append([year, college, code, name, "", language, 10 + len(found) % 15,
                                  f"на базе {grade} классов", "2 г. 10 мес." if grade == "9" else "22", 2, "нет"])
    return found


def as_bytes(rows, kind):
    if kind == "csv":
        buffer = io.StringIO()
        csv.writer(buffer, delimiter=";").writerows(rows)
        return buffer.getvalue().encode("utf-8")
    import openpyxl

    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet()
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def measure(kind):
    from atlas.editorial import records, store
    from atlas.stateorder import prepare, record, source_of
    from atlas.stateorder.plan import Options

    data = records.current(ROOT / "data", [])
    content = as_bytes(table(data), kind)
    started, cpu = time.perf_counter(), time.process_time()
    plan = prepare(f"state-order.{kind}", content, records.current(ROOT / "data", []), "state-order",
                   Options(create_missing=True))
    checked = time.perf_counter() - started
    with tempfile.TemporaryDirectory() as folder:
        conn = store.connect(str(Path(folder) / "editorial.db"))
        written = len(record(conn, plan, source_of(f"state-order.{kind}", who="bench"), "bench"))
        conn.close()
    total, cpu = time.perf_counter() - started, time.process_time() - cpu
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    return {"kind": kind, "rows": plan.counts["rows"], "problems": len(plan.problems), "changes": written,
            "bytes": len(content), "check_s": round(checked, 2), "total_s": round(total, 2), "cpu_s": round(cpu, 2), "peak_mb": round(peak)}


if __name__ == "__main__":
    print(json.dumps(measure(sys.argv[1] if len(sys.argv) > 1 else "csv")))
