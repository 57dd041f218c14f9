"""The header row as a clerk writes it: Kazakh, Russian or English, any case, order and punctuation.

Each table knows its columns (canonical English names, as the template has them) and the usual
ways a department writes each. A header the table does not know is reported and its column
ignored; a required column that is missing is an error naming the headers that were found.
An administrator's remembered choice ("this header means that column") comes first.
"""

import re
import unicodedata

STATE_ORDER = {
    "year": ["year", "год", "жыл", "оқу жылы", "учебный год", "год приема", "год приёма", "қабылдау жылы"],
    "college": ["college", "колледж", "оқу орны", "учебное заведение", "организация образования",
                "білім беру ұйымы", "наименование организации образования", "наименование колледжа",
                "колледж атауы", "оқу орнының атауы", "наименование учебного заведения"],
    "bin": ["bin", "бин", "бсн", "бин колледжа", "колледж бсн"],
    "town": ["town", "город", "город район", "населенный пункт", "қала", "қала аудан", "елді мекен"],
    "college_name_kk": ["college name kk", "колледждің қазақша атауы", "наименование колледжа на казахском языке"],
    "college_name_ru": ["college name ru", "колледждің орысша атауы", "наименование колледжа на русском языке"],
    "specialty_code": ["specialty code", "specialty", "код специальности", "мамандық коды", "шифр специальности",
                       "мамандық шифры", "код", "специальность код"],
    "specialty_name_kk": ["specialty name kk", "мамандық атауы", "мамандық", "наименование специальности на казахском"],
    "specialty_name_ru": ["specialty name ru", "наименование специальности", "специальность",
                          "название специальности"],
    "qualification_codes": ["qualification codes", "qualification code", "qualifications", "квалификация",
                            "код квалификации", "коды квалификаций", "квалификации", "біліктілік",
                            "біліктілік коды", "біліктілік кодтары"],
    "qualification_name_kk": ["qualification name kk", "біліктілік атауы"],
    "qualification_name_ru": ["qualification name ru", "наименование квалификации", "название квалификации"],
    "language": ["language", "язык обучения", "оқыту тілі", "язык", "тіл", "оқу тілі", "язык обучения казрус"],
    "places": ["places", "количество мест", "орын саны", "госзаказ", "государственный заказ", "мемлекеттік тапсырыс",
               "мемтапсырыс", "количество мест по госзаказу", "мемлекеттік тапсырыс бойынша орын саны", "план приема",
               "план приёма", "қабылдау жоспары"],
    "entry_grade": ["entry grade", "entry grades", "на базе", "база", "на базе классов", "негізінде", "сынып негізінде",
                    "базовое образование", "база класс", "сынып"],
    "study_months": ["study months", "срок обучения", "оқу мерзімі", "срок обучения мес", "оқу мерзімі ай"],
    "months_after_9": ["months after 9", "срок обучения на базе 9", "срок обучения после 9 класса",
                       "9 сынып негізінде оқу мерзімі", "оқу мерзімі 9 сынып"],
    "months_after_11": ["months after 11", "срок обучения на базе 11", "срок обучения после 11 класса",
                        "11 сынып негізінде оқу мерзімі", "оқу мерзімі 11 сынып"],
    "paid_places": ["paid places", "платные места", "на платной основе", "ақылы орындар", "ақылы негізде",
                    "количество платных мест", "ақылы орын саны"],
    "dual": ["dual", "dual training", "дуальное обучение", "дуальное", "дуальды оқыту", "дуальды"],
}
STATE_ORDER_REQUIRED = ("year", "college", "specialty_code", "language", "places")

COLLEGES = {
    "name_ru": ["name ru", "official name ru", "наименование", "полное наименование", "наименование организации",
                "наименование организации образования", "наименование колледжа", "наименование на русском языке",
                "полное наименование на русском языке", "колледж"],
    "name_kk": ["name kk", "official name kk", "атауы", "толық атауы", "ұйымның атауы", "білім беру ұйымының атауы",
                "мемлекеттік тілдегі атауы", "қазақ тіліндегі атауы", "колледж атауы"],
    "short_name": ["short name", "краткое наименование", "сокращенное наименование", "сокращённое наименование",
                   "қысқаша атауы", "қысқартылған атауы"],
    "bin": STATE_ORDER["bin"],
    "town": ["town", "district", "город", "город район", "населенный пункт", "район", "қала", "қала аудан",
             "елді мекен", "аудан"],
    "address_ru": ["address", "address ru", "адрес", "юридический адрес", "фактический адрес", "адрес на русском языке"],
    "address_kk": ["address kk", "мекенжай", "мекенжайы", "заңды мекенжайы", "нақты мекенжайы"],
    "phone": ["phone", "телефон", "тел", "контактный телефон", "байланыс телефоны"],
    "website": ["website", "web site", "site", "сайт", "веб сайт", "интернет ресурс", "интернет-ресурс"],
    "email": ["email", "e mail", "электронная почта", "эл почта", "электрондық пошта", "почта"],
    "languages": ["languages", "language", "язык обучения", "языки обучения", "оқыту тілі", "оқыту тілдері"],
    "dormitory": ["dormitory", "общежитие", "наличие общежития", "жатақхана", "жатақхананың болуы"],
}
COLLEGES_REQUIRED = ()  # a name in one language or a BIN: checked row by row


def normalise_header(value):
    """Folded header text: «Код специальности», "код_специальности" and "Код  специальности:" agree."""
    text = unicodedata.normalize("NFKC", str(value)).casefold().replace("ё", "е").replace("_", " ")
    text = re.sub(r"[^\w\s-]", " ", text).replace("-", " ")
    return " ".join(text.split())


def alias_table(columns):
    table = {}
    for column, aliases in columns.items():
        for alias in (column, *aliases):
            table.setdefault(normalise_header(alias), column)
    return table


ALIASES = {"state-order": alias_table(STATE_ORDER), "colleges": alias_table(COLLEGES)}
COLUMNS = {"state-order": STATE_ORDER, "colleges": COLLEGES}
REQUIRED = {"state-order": STATE_ORDER_REQUIRED, "colleges": COLLEGES_REQUIRED}


def resolve(kind, header, remembered=None):
    """({column: index}, unknown [(index, header text)], duplicated [column]) for a header row.

    remembered: {normalised header: column or "" (ignore it)} from the administrator's choices."""
    aliases, remembered = ALIASES[kind], remembered or {}
    index, unknown, duplicated = {}, [], []
    for position, cell in enumerate(header):
        text = normalise_header(cell)
        if not text:
            continue
        column = remembered.get(text, aliases.get(text))
        if column == "":
            continue  # the administrator said: ignore this column
        if column is None or column not in COLUMNS[kind]:
            unknown.append((position, str(cell).strip()[:60]))
        elif column in index:
            duplicated.append(column)
        else:
            index[column] = position
    return index, unknown, duplicated
