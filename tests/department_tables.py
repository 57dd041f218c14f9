"""Realistic department tables, made by the tests themselves (never in data/): fictional colleges of
a fictional district under official-style names in both languages, written the way clerks write
them, with specialty codes the atlas does not ship and Russian or Kazakh headers."""

import csv
import io

import openpyxl

# (short, official ru, official kk, town, languages): every college here is made up; the towns are the
# region's (a new college needs a town of data/towns.csv), written as a clerk would.
COLLEGES = [
    ("Алтынсайский аграрный колледж", "КГКП «Алтынсайский аграрный колледж» управления образования ВКО",
     "ШҚО білім басқармасының «Алтынсай аграрлық колледжі» КМҚК", "г. Зайсан", "каз, рус"),
    ("Алтынсайский медицинский колледж", "ГККП \"Алтынсайский медицинский колледж\" управления образования ВКО",
     "ШҚО білім басқармасының \"Алтынсай медициналық колледжі\" КМҚК", "Зайсан қ.", "рус"),
    ("Кокбулакский технический колледж", "КГКП «Кокбулакский технический колледж» управления образования ВКО",
     "ШҚО білім басқармасының «Көкбұлақ техникалық колледжі» КМҚК", "Алтай", "каз"),
    ("Жасылкольский колледж сервиса", "КГКП «Жасылкольский колледж сервиса» управления образования ВКО",
     "ШҚО білім басқармасының «Жасылкөл сервис колледжі» КМҚК", "Риддер", "каз/рус"),
    ("Аккайынский гуманитарный колледж", "КГКП «Аккайынский гуманитарный колледж» управления образования ВКО",
     "ШҚО білім басқармасының «Аққайың гуманитарлық колледжі» КМҚК", "Шемонаиха", "kk, ru"),
    ("Таусарынский горный колледж", "КГКП «Таусарынский горный колледж» управления образования ВКО",
     "ШҚО білім басқармасының «Таусары тау-кен колледжі» КМҚК", "Глубокое", "ru"),
]
# A college the atlas ships, written by its official long names: it must be matched, not duplicated.
KNOWN = ("ukvpk", "КГКП «Усть-Каменогорский высший политехнический колледж» управления образования ВКО",
         "ШҚО білім басқармасының «Өскемен жоғары политехникалық колледжі» КМҚК")
# Specialties the atlas does not ship, with their names and one qualification each.
NEW_SPECIALTIES = [
    ("10130100", "Бытовое обслуживание", "Тұрмыстық қызмет көрсету", "3W10130101 Мастер бытовых услуг"),
    ("08410100", "Ветеринарная санитария", "Ветеринариялық санитария", "4S08410101 Ветеринарный санитар"),
    ("02150100", "Декоративно-прикладное искусство", "Сәндік-қолданбалы өнер", "4S02150101 Художник-мастер"),
]
KNOWN_SPECIALTIES = [("07150500", "07150501"), ("07161100", "")]
AMBIGUOUS = "Алтынсайский колледж"


def bin_number(serial):
    """A valid BIN (the check digit computed as the law says) for a made-up serial."""
    from atlas.stateorder.matching import bin_valid

    for tail in range(1000):
        base = f"99{serial:04d}{tail:05d}"
        for digit in range(10):
            if bin_valid(base + str(digit)):
                return base + str(digit)
    raise AssertionError("no BIN")


def bad_bin(serial):
    good = bin_number(serial)
    return good[:11] + str((int(good[11]) + 1) % 10)


def registry_rows(with_bad_bin=True):
    """The department's registry: Russian headers, official names in both languages, BINs."""
    header = ["№", "Наименование организации образования", "Мемлекеттік тілдегі атауы", "Краткое наименование",
              "БИН", "Город/район", "Адрес", "Мекенжай", "Телефон", "Сайт", "Электронная почта", "Язык обучения",
              "Общежитие"]
    rows = [header]
    for number, (short, ru, kk, town, languages) in enumerate(COLLEGES, start=1):
        rows.append([number, ru, kk, short, bin_number(number), town, f"ул. Абая, {number}", f"Абай к-сі, {number}",
                     f"8 (72{30 + number}) 4{number}-1{number}-0{number}",
                     f"college{number}.example.kz", f"info@college{number}.example.kz", languages,
                     "да" if number % 2 else "нет"])
    rows.append([len(rows), KNOWN[1], KNOWN[2], "", bin_number(99), "Өскемен", "", "", "", "", "", "", ""])
    if with_bad_bin:
        rows.append([len(rows), "КГКП «Несуществующий колледж» управления образования ВКО",
                     "ШҚО білім басқармасының «Жоқ колледж» КМҚК", "", bad_bin(7), "", "", "", "", "", "", "", ""])
    return rows


def state_order_rows(year=2026, kazakh=False, ambiguous=True, count=160):
    """A state-order table of `count` rows and more: every fictional college by its official name
    (Russian or Kazakh form, some by BIN only), new and known specialties, per language and entry grade."""
    header = (["Жыл", "Оқу орны", "БСН", "Мамандық коды", "Мамандық атауы", "Біліктілік", "Оқыту тілі", "Орын саны",
               "Сынып негізінде", "Оқу мерзімі", "Ақылы орындар", "Дуальды оқыту", "Ескерту"] if kazakh else
              ["Год", "Колледж", "БИН", "Код специальности", "Наименование специальности", "Квалификация",
               "Язык обучения", "Количество мест", "На базе", "Срок обучения", "Платные места", "Дуальное обучение",
               "Примечание"])
    rows = [header]
    specialties = [(code, ru, kk, qualification) for code, ru, kk, qualification in NEW_SPECIALTIES] + \
        [(code, "", "", qualification) for code, qualification in KNOWN_SPECIALTIES]
    colleges = [(ru, kk, bin_number(n)) for n, (_, ru, kk, _, _) in enumerate(COLLEGES, start=1)] + \
        [(KNOWN[1], KNOWN[2], bin_number(99))]
    turn = 0
    while len(rows) <= count:
        for c, (ru, kk, bin_) in enumerate(colleges):
            for s, (code, name_ru, name_kk, qualification) in enumerate(specialties):
                for grade, months in (("9", "2 г. 10 мес."), ("11", "22")):
                    for language in ("каз", "рус"):
                        turn += 1
                        name = kk if (turn % 3 == 0) else ru
                        college = "" if turn % 7 == 0 else name  # some rows give only the BIN
                        rows.append([year - (s % 2), college, bin_, code, name_kk if kazakh else name_ru,
                                     qualification, language, 5 + (c + s) % 20,
                                     f"на базе {grade} классов" if not kazakh else f"{grade} сынып негізінде",
                                     months, (c + s) % 4, "да" if s == 0 else "нет", "доп. набор" if turn % 11 == 0 else ""])
            if len(rows) > count:
                break
    if ambiguous:
        rows.append([year, AMBIGUOUS, "", "10130100", "Бытовое обслуживание", "", "рус", 10, "9", "34", 0,
                     "нет", ""])
    return rows


def as_csv(rows, delimiter=";"):
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter).writerows(rows)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def as_xlsx(rows):
    workbook = openpyxl.Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
