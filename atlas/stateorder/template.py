"""The template an education department fills in: the header row, and instructions in both languages."""

import io
from datetime import date

from .reader import COLUMNS

INSTRUCTIONS = {
    "kk": [
        "Бірінші парақтың бірінші жолы – тақырып: бағандардың атауын өзгертпеңіз.",
        "year – оқу жылы басталатын жыл, 2000 жылдан келесі жылға дейін (мысалы, {year}); бір файлда бірнеше жыл болуы мүмкін.",
        "college – колледждің атластағы slug-ы немесе оның қазақша не орысша толық атауы (дәл атластағыдай).",
        "specialty_code – мамандықтың 8 таңбалы коды (мысалы, 07150500).",
        "qualification_codes – біліктілік кодтары, бос орын немесе үтір арқылы; бос қалдыруға болады.",
        "language – оқыту тілі: kk, ru немесе both.",
        "places – мемлекеттік тапсырыс бойынша орын саны, бүтін сан.",
        "Формула, біріктірілген ұяшық және күн пішіміндегі ұяшық қабылданбайды.",
    ],
    "ru": [
        "Первая строка первого листа — заголовок: не меняйте названия столбцов.",
        "year — год начала учебного года, от 2000 до следующего года (например, {year}); в одном файле может быть несколько лет.",
        "college — slug колледжа в атласе или его полное казахское либо русское название (точно как в атласе).",
        "specialty_code — 8-значный код специальности (например, 07150500).",
        "qualification_codes — коды квалификаций через пробел или запятую; можно оставить пустым.",
        "language — язык обучения: kk, ru или both.",
        "places — число мест по государственному заказу, целое число.",
        "Формулы, объединённые ячейки и ячейки в формате даты не принимаются.",
    ],
}


def csv_template():
    """UTF-8 with a BOM, so that Excel opens the Cyrillic names correctly."""
    return ("\ufeff" + ",".join(COLUMNS) + "\r\n").encode("utf-8")


REGISTRY_COLUMNS = ("name_ru", "name_kk", "short_name", "bin", "town", "address_ru", "address_kk", "phone", "website",
                    "email", "languages", "dormitory")


def registry_csv_template():
    """The registry of colleges' header row (Russian or Kazakh headers are read as well: headers.py)."""
    return ("\ufeff" + ",".join(REGISTRY_COLUMNS) + "\r\n").encode("utf-8")


def xlsx_template(lang, today=None):
    """The header row, and the instructions with this year as the example year."""
    import openpyxl

    year = (today or date.today()).year

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "state-order"
    sheet.append(list(COLUMNS))
    for code in (lang, *(other for other in INSTRUCTIONS if other != lang)):
        notes = workbook.create_sheet({"kk": "Нұсқаулық", "ru": "Инструкция"}[code])
        for line in INSTRUCTIONS[code]:
            notes.append([line.format(year=year)])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
