"""Reading documents secretariats write elsewhere: Word files (paragraphs, styles, lists, tables)
and plain text (hard-wrapped or not), and the header lines of a side event (title, time, date,
venue, organisers) in the many ways they are typed, in English, French and Spanish.
"""
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date, time

DASHES = r"\-‐‑‒–—―−~"  # inside a regex character class: hyphen, dashes of every kind, minus, tilde
_DASH = f"[{DASHES}]"


@dataclass
class Block:
    """A paragraph, heading or list item; `lines` keeps the lines a hard-wrapped paragraph had."""

    kind: str  # "heading", "item", "text", "title" or "subtitle"
    text: str
    lines: list[str] = field(default_factory=list)
    level: int = 0  # a Markdown heading's number of "#", a Word heading's level

    def __post_init__(self):
        if not self.lines:
            self.lines = [self.text]


def fold(text: str) -> str:
    """Lower case without accents, vowel marks or punctuation, for comparing headings and labels in any
    script ("II. Contexte :" is "contexte", "الأهداف" is "الاهداف", "Ёлка" is "елка")."""
    text = unicodedata.normalize("NFKD", text or "").replace("\u0640", "")  # tatweel
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    return " ".join(re.sub(r"[\W_]+", " ", text).split())


_WIDE = r"[\u2e80-\u9fff\u3000-\u303f\uf900-\ufaff\uff00-\uffef]"  # CJK characters and punctuation


def _joined_lines(lines: list[str]) -> str:
    """A hard-wrapped paragraph's lines as one: with spaces, except between Chinese characters, which
    are written without them."""
    text = " ".join(" ".join(lines).split())
    return re.sub(rf"(?<={_WIDE}) (?={_WIDE})", "", text)


def strip_markup(text: str) -> str:
    """Markdown emphasis and heading marks removed: "### **SUMMARY**" is "SUMMARY"."""
    text = re.sub(r"^\s*#{1,6}\s*", "", text or "")
    text = re.sub(r"(\*\*|__)(.+?)\1", r"\2", text)
    return re.sub(r"^(\*\*|__)|(\*\*|__)$", "", text.strip()).strip()


# "1. ", "1) ", "(1) ", "I. ", "iv) ", "A. ", "(a) ", "1.2 " before a heading or an item; in Chinese
# "一、", "（二）"; in Arabic "أولاً." or "٢."
NUMBERING = re.compile(r"^\s*(?:(?:\(?\d{1,2}(?:\.\d{1,2})*[.)]|\d{1,2}\.\d{1,2}|\(?[ivxlcIVXLC]{1,5}[.)]|"
                       r"\(?[A-Za-z][.)]|\(?[٠-٩]{1,2}[.)])\s+|"
                       r"(?:[一二三四五六七八九十]{1,3}[、.．]|[（(][一二三四五六七八九十]{1,3}[)）])\s*|"
                       r"(?:أول|ثاني|ثالث|رابع|خامس|سادس|سابع|ثامن|تاسع|عاشر)(?:اً|ًا|ا)\s*[.:" + DASHES + r"]\s*)")
BULLET = re.compile(rf"^\s*(?:[•·▪◦●○■□►▸‣⁃*+{DASHES}]|\(?\d{{1,2}}[.)]|\(?[a-z][.)]|\(?[ivx]{{1,4}}[.)]|"
                    rf"\([A-Z]\))\s*(?=\S)")
_TYPED_BULLET = re.compile(rf"^\s*[•·▪◦●○■□►▸‣⁃]\s*|^\s*[*+{DASHES}]\s+")


# How the Word templates mark their guidance lines, in each language they are downloaded in (the French
# translation of "Guidance:" is "Conseil :", and so on): an import skips such a line whatever the reader's
# language at the time.
GUIDANCE_PREFIXES = ("Guidance:", "Conseil :", "Conseil:", "Orientación:", "إرشاد:", "Указание:", "说明：", "说明:")


def is_guidance(text: str) -> bool:
    return text.strip().strip("[]").startswith(GUIDANCE_PREFIXES)


def without_marker(text: str) -> str:
    return BULLET.sub("", text, count=1).strip()


def _is_marked(line: str) -> bool:
    """A list item typed by hand: a bullet sign, or a number or letter followed by "." or ")"."""
    return bool(_TYPED_BULLET.match(line) or re.match(r"^\s*\(?(?:\d{1,2}|[a-z]|[ivx]{1,4})[.)]\s+\S", line)
                or re.match(r"^\s*\([A-Z]\)\s+\S", line))


def text_blocks(text: str, is_heading) -> list[Block]:
    """Plain text or Markdown as blocks: blank lines separate paragraphs, the lines of a paragraph
    are joined (hard-wrapped text), a bullet or number starts an item that later lines continue."""
    blocks: list[Block] = []
    current: Block | None = None

    def close():
        nonlocal current
        if current is not None:
            current.text = _joined_lines(current.lines)
            blocks.append(current)
            current = None

    for raw in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        line = raw.strip()
        if not line or re.fullmatch(r"[-_=*]{3,}", line):
            close()
        elif line.startswith("#") or is_heading(line):
            close()
            level = len(line) - len(line.lstrip("#"))
            blocks.append(Block("heading", strip_markup(line), level=level))
        elif _is_marked(line):
            close()
            current = Block("item", "", [without_marker(line)])
        elif current is not None:
            current.lines.append(line)
        else:
            current = Block("text", "", [line])
    close()
    for block in blocks:
        block.text = strip_markup(block.text)
    return blocks


def _paragraph_block(paragraph, is_heading) -> Block | None:
    text = " ".join(paragraph.text.split())
    if not text:
        return None
    style = (paragraph.style.name if paragraph.style is not None else "").lower()
    numbered = paragraph._p.pPr is not None and paragraph._p.pPr.numPr is not None
    runs = [run for run in paragraph.runs if run.text.strip()]
    bold = bool(runs) and all(run.bold or (run.style is not None and "strong" in run.style.name.lower())
                              for run in runs)
    if style == "title":
        return Block("title", strip_markup(text))
    if style == "subtitle":
        return Block("subtitle", strip_markup(text))
    if style.startswith("heading"):
        level = int(style.split()[-1]) if style.split()[-1].isdigit() else 1
        return Block("heading", strip_markup(text), level=level)
    if is_heading(text) and (bold or len(text) < 60 or text.isupper()):
        return Block("heading", strip_markup(text))
    if style.startswith("list") or numbered or _is_marked(text):
        return Block("item", without_marker(strip_markup(text)) if _is_marked(text) else strip_markup(text))
    if bold and len(text) < 120 and not text.endswith("."):
        return Block("heading", strip_markup(text), level=9)  # a bold line: a heading we may not know
    return Block("text", strip_markup(text))


def _cell_paragraphs(cell) -> list[str]:
    return [" ".join(p.text.split()) for p in cell.paragraphs if p.text.strip()]


def _table_blocks(table, is_heading) -> list[Block]:
    """A header table ("Date | 6 May 2025") as labelled lines; a row of facts as one line; any other
    table cell by cell, in reading order."""
    blocks = []
    for row in table.rows:
        cells, seen = [], set()
        for cell in row.cells:
            if id(cell._tc) not in seen:  # a merged cell appears once per column it spans
                seen.add(id(cell._tc))
                cells.append(_cell_paragraphs(cell))
        cells = [c for c in cells if c]
        if len(cells) == 2 and len(cells[0]) == 1 and header_label(cells[0][0]):
            label = cells[0][0].rstrip(":：").strip()
            blocks.append(Block("text", f"{label}: {cells[1][0]}"))
            blocks += [Block("text", extra) for extra in cells[1][1:]]
        elif len(cells) > 1 and all(len(c) == 1 for c in cells) and any(
                find_time(c[0]) or find_date(c[0]) for c in cells):
            blocks.append(Block("text", " | ".join(c[0] for c in cells)))
        else:
            for paragraphs in cells:
                blocks += [Block("heading", p) if is_heading(p) else Block("text", p) for p in paragraphs]
    return blocks


def docx_blocks(document, is_heading) -> list[Block]:
    """The body of a Word document in reading order: paragraphs and tables alike."""
    from docx.table import Table
    from docx.text.paragraph import Paragraph
    blocks = []
    for child in document.element.body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            block = _paragraph_block(Paragraph(child, document), is_heading)
            if block is not None:
                blocks.append(block)
        elif tag == "tbl":
            blocks += _table_blocks(Table(child, document), is_heading)
    return blocks


# ---------------------------------------------------------------- header lines

MONTHS = {
    **{m: n for n, m in enumerate(["january", "february", "march", "april", "may", "june", "july", "august",
                                   "september", "october", "november", "december"], start=1)},
    **{m: n for n, m in enumerate(["janvier", "fevrier", "mars", "avril", "mai", "juin", "juillet", "aout",
                                   "septembre", "octobre", "novembre", "decembre"], start=1)},
    **{m: n for n, m in enumerate(["enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto",
                                   "septiembre", "octubre", "noviembre", "diciembre"], start=1)},
    **{m: n for n, m in enumerate(["января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа",
                                   "сентября", "октября", "ноября", "декабря"], start=1)},
    **{m: n for n, m in enumerate(["январь", "февраль", "март", "апрель", "май", "июнь", "июль", "август",
                                   "сентябрь", "октябрь", "ноябрь", "декабрь"], start=1)},
    # The Gregorian months as the UN writes them in Arabic (folded: hamza seats dropped), and the Levantine names.
    **{m: n for n, m in enumerate(["يناير", "فبراير", "مارس", "ابريل", "مايو", "يونيو", "يوليو", "اغسطس",
                                   "سبتمبر", "اكتوبر", "نوفمبر", "ديسمبر"], start=1)},
    "يونيه": 6, "يوليه": 7,
    **{m: n for n, m in enumerate(["كانون الثاني", "شباط", "اذار", "نيسان", "ايار", "حزيران", "تموز", "اب",
                                   "ايلول", "تشرين الاول", "تشرين الثاني", "كانون الاول"], start=1)},
    "setiembre": 9, "sept": 9,
}
MONTHS.update({name[:3]: number for name, number in list(MONTHS.items()) if len(name) > 3 and name.isascii()})
MONTH_NAMES = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
               "November", "December"]
_MONTH = r"(?P<month>[^\W\d_]{2,10}(?: (?:الثاني|الاول|الأول))?)\.?"
_YEAR = r"(?P<year>(?:19|20)\d{2})"
_DATE_PATTERNS = [
    re.compile(rf"\b(?P<day>\d{{1,2}})(?:st|nd|rd|th|er|º|°)?\s+(?:de\s+)?{_MONTH},?\s+(?:de\s+|del\s+)?{_YEAR}\b",
               re.I),
    re.compile(rf"\b{_MONTH}\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?,?\s+{_YEAR}\b", re.I),
    re.compile(rf"\b{_YEAR}-(?P<num_month>\d{{1,2}})-(?P<day>\d{{1,2}})\b"),
    re.compile(rf"(?<!\d){_YEAR}\s*年\s*(?P<num_month>\d{{1,2}})\s*月\s*(?P<day>\d{{1,2}})\s*[日号]"),  # 2025年5月8日
    re.compile(rf"\b(?P<first>\d{{1,2}})[/.](?P<second>\d{{1,2}})[/.]{_YEAR}\b"),
]
_WEEKDAYS = ("monday tuesday wednesday thursday friday saturday sunday lundi mardi mercredi jeudi vendredi samedi "
             "dimanche lunes martes miercoles jueves viernes sabado domingo "
             "понедельник вторник среда четверг пятница суббота воскресенье "
             "الاثنين الثلاثاء الاربعاء الخميس الجمعة السبت الاحد "
             "星期一 星期二 星期三 星期四 星期五 星期六 星期日 周一 周二 周三 周四 周五 周六 周日").split()


@dataclass
class DateFound:
    value: date
    span: tuple[int, int]
    ambiguous: str | None = None  # the text, when day and month could be either way round


def find_date(text: str, *, day_first: bool = True) -> DateFound | None:
    """The first date in the text, in any of the orders and languages secretariats write."""
    for pattern in _DATE_PATTERNS:
        for match in pattern.finditer(text):
            groups = match.groupdict()
            try:
                year = int(groups["year"])
                if groups.get("month"):
                    month = MONTHS.get(fold(groups["month"]))
                    if month is None:
                        continue
                    return DateFound(date(year, month, int(groups["day"])), match.span())
                if groups.get("num_month"):
                    return DateFound(date(year, int(groups["num_month"]), int(groups["day"])), match.span())
                first, second = int(groups["first"]), int(groups["second"])
                day, month = (first, second) if day_first else (second, first)
                if month > 12:
                    day, month = month, day
                ambiguous = match.group(0) if first <= 12 and second <= 12 and first != second else None
                return DateFound(date(year, month, day), match.span(), ambiguous)
            except ValueError:
                continue
    return None


def format_date(value: date) -> str:
    """As the forum's summaries print it: "6 May 2025"."""
    return f"{value.day} {MONTH_NAMES[value.month - 1]} {value.year}"


_CLOCK = r"(?P<{p}h>\d{{1,2}})(?:\s*(?P<{p}sep>[:.hH])\s*(?P<{p}m>\d{{2}})?)?\s*(?P<{p}ap>[aApP]\.?\s?[mM]\.?)?"
_TIME_RANGE = re.compile(
    r"(?<![\d/.:])" + _CLOCK.format(p="a") + rf"\s*(?:{_DASH}|\bto\b|\buntil\b|\bà\b|\ba\b|\bhasta\b|\bдо\b|إلى|الى|至|到)\s*"
    + _CLOCK.format(p="b") + r"(?![\d/])(?:\s*(?:hrs|hours|h)\b)?")


@dataclass
class TimeFound:
    start: time
    end: time
    span: tuple[int, int]


def _clock(hour: str, sep: str | None, minute: str | None, ampm: str | None) -> tuple[int, int, str | None]:
    meridiem = fold(ampm).replace(" ", "")[:1] if ampm else None
    return int(hour), int(minute) if minute else 0, meridiem


def _to_24(hour: int, meridiem: str | None) -> int:
    if meridiem == "p" and hour < 12:
        return hour + 12
    if meridiem == "a" and hour == 12:
        return 0
    return hour


def find_time(text: str) -> TimeFound | None:
    """A time range: "11:45 - 13:00", "1:15 pm – 2:30 pm", "13h15–14h30", "13.15 to 14.30"."""
    for match in _TIME_RANGE.finditer(text):
        g = match.groupdict()
        if not ((g["asep"] or g["aap"]) and (g["bsep"] or g["bap"])):
            continue  # "2025-05" or "5 - 6" are not times
        h1, m1, ap1 = _clock(g["ah"], g["asep"], g["am"], g["aap"])
        h2, m2, ap2 = _clock(g["bh"], g["bsep"], g["bm"], g["bap"])
        if ap2 and not ap1:  # "1:15 – 2:30 pm": the start shares the end's half of the day if that fits
            ap1 = ap2 if _to_24(h1, ap2) <= _to_24(h2, ap2) else ("a" if ap2 == "p" else "p")
        h1, h2 = _to_24(h1, ap1), _to_24(h2, ap2)
        if not (h1 < 24 and h2 < 24 and m1 < 60 and m2 < 60):
            continue
        return TimeFound(time(h1, m1), time(h2, m2), match.span())
    return None


def format_time(found: TimeFound) -> str:
    """As the forum's summaries print it: "13:15 - 14:30"."""
    return f"{found.start:%H:%M} - {found.end:%H:%M}"


def _marked(word: str) -> str:
    """An Arabic word as a pattern that also matches it written with vowel marks or tatweel ("المنظِّمة")."""
    return "".join(re.escape(c) + ("[\u064b-\u065f\u0670\u0640]*" if "\u0621" <= c <= "\u064a" else "") for c in word)


ORGANISER_LABEL = re.compile(
    r"^(?:co[- ]?organi[sz]ed by|organi[sz]ed by|co[- ]?organi[sz]ers?|organi[sz]ers?|hosted by|co[- ]?hosted by|"
    r"hosts?|convened by|co[- ]?organis[ée]+ par|organis[ée]+ par|organisateurs?|co[- ]?organisateurs?|"
    r"organizado por|coorganizado por|co[- ]?organizado por|organizadores?|coorganizadores?|"
    r"соорганизаторы|организаторы|организатор|при поддержке|"
    + "|".join(_marked(w) for w in ("الجهات المنظمة", "الجهة المنظمة", "المنظمون", "من تنظيم", "تنظيم")) + "|"
    r"主办单位|主办方|协办单位|组织者|主办)\b\s*[:：]?\s*", re.I)
_LABELS = {
    "date": ("date", "day", "fecha", "jour", "дата", "التاريخ", "日期"),
    "time": ("time", "hour", "hours", "heure", "horaire", "hora", "horario", "время", "الوقت", "التوقيت", "时间"),
    "when": ("date and time", "date time", "when", "date et heure", "fecha y hora", "дата и время",
             "التاريخ والوقت", "日期和时间", "日期与时间"),
    "venue": ("venue", "location", "place", "room", "lieu", "salle", "lugar", "sala", "where", "место",
              "место проведения", "зал", "المكان", "مكان الانعقاد", "القاعة", "地点", "会场", "会议室"),
    "title": ("title", "event", "event title", "title of the event", "side event", "titre", "titulo", "название",
              "тема", "العنوان", "عنوان الحدث", "标题", "题目", "活动名称"),
}
_LABEL = re.compile(r"^(?P<label>[^\W\d_](?:[^\W\d_]| ){1,24}?)\s*[:：]\s*(?P<value>.*)$")


def header_label(text: str) -> str | None:
    """The header field a label names ("Venue:", "Organised by", "Fecha"), if any."""
    if ORGANISER_LABEL.match(text.strip()) and len(text) < 40:
        return "organisers"
    plain = fold(text.rstrip(":："))
    return next((name for name, words in _LABELS.items() if plain in words), None)


def labelled(text: str) -> tuple[str, str] | None:
    """("venue", "Conference Room 4") for "Venue: Conference Room 4"; organisers with or without a colon."""
    organisers = ORGANISER_LABEL.match(text)
    if organisers:
        return "organisers", text[organisers.end():].strip()
    match = _LABEL.match(text)
    if match:
        name = header_label(match.group("label"))
        if name:
            return name, match.group("value").strip()
    return None


def split_organisers(text: str) -> list[str]:
    """Organisers written on one line: separated by ";" (Arabic "؛", full-width "；"), "•", "|" or the
    Chinese list comma "、" (never by "and" or commas, which organisations' own names contain)."""
    return [part.strip(" .。") for part in re.split(r"\s*[;؛；、•|]\s*", text) if part.strip(" .。")]


@dataclass
class WhenFound:
    time: TimeFound | None
    date: DateFound | None
    rest: str


def when_line(text: str, *, day_first: bool = True) -> WhenFound | None:
    """A line with a time range or a date, and what else it says (the venue):
    "[11:45 - 13:00, 6 May 2025, Conference Room 6, UNHQ]", "Tuesday, 6 May 2025 | 1:15–2:30 pm"."""
    found_time = find_time(text)
    found_date = find_date(text, day_first=day_first)
    if not found_time and not found_date:
        return None
    rest = text
    for found in sorted([f for f in (found_time, found_date) if f], key=lambda f: -f.span[0]):
        rest = rest[:found.span[0]] + " , " + rest[found.span[1]:]
    words = [w for w in re.split(r"[\s,]+", fold(rest)) if w]
    if words and all(w in _WEEKDAYS or w in ("de", "del", "le", "el", "on", "at", "from", "edt", "est", "cet", "cest",
                                              "local", "time", "ny", "nyc", "gmt", "utc") for w in words):
        rest = ""
    rest = re.sub(r"\b(?:" + "|".join(_WEEKDAYS) + r")\b,?", "", rest, flags=re.I)
    rest = re.sub(r"\((?:\s*(?:EDT|EST|CET|CEST|GMT|UTC|New York time|local time)\s*)\)", "", rest, flags=re.I)
    rest = re.sub(r"^[\s\[\](),;|:،，" + DASHES + r"]+|[\s\[\](),;|:،，" + DASHES + r"]+$", "", rest)
    rest = re.sub(r"\s*[,|;،，]\s*(?:[,|;،，]\s*)+", ", ", rest)
    rest = re.sub(r"^(?:at|in|venue|lieu|lugar)\s*[:]?\s+", "", rest, flags=re.I)
    return WhenFound(found_time, found_date, " ".join(rest.split()))


KICKERS = {"summary", "resume", "resumen", "side event summary", "summary of the side event", "event summary",
           "concept note", "note conceptuelle", "nota conceptual", "nota de concepto", "note de cadrage",
           "draft", "projet", "borrador",
           "концептуальная записка", "концепция", "резюме", "краткий отчет", "итоговый документ", "проект",
           "مذكرة مفاهيمية", "المذكرة المفاهيمية", "ورقة مفاهيمية", "موجز", "ملخص", "موجز الحدث", "مشروع",
           "概念说明", "概念文件", "概念说明文件", "摘要", "总结", "会议摘要", "活动摘要", "草案", "草稿"}
_KICKER_TITLE = re.compile(r"^(?:concept note|note conceptuelle|nota conceptual|nota de concepto|summary|"
                           r"r[ée]sum[ée]|resumen|концептуальная записка|резюме|مذكرة مفاهيمية|المذكرة المفاهيمية|موجز|الملخص|ملخص|"
                           r"概念说明|摘要)\s*[:：" + DASHES + r"]\s*(?P<title>\S.*)$", re.I)


_VENUE_WORDS = re.compile(r"\b(?:conference room|room|salle|sala|unhq|headquarters|siege|sede|hall|auditorium|"
                          r"trusteeship council|ecosoc chamber|online|virtual|en ligne|en linea)\b")


class HeaderReader:
    """The header of a side-event document, line by line, before its first section heading:
    title and subtitle, time, date, venue and organisers, however they are written."""

    def __init__(self, *, day_first: bool = True, messages=None):
        self.fields = {"title": "", "subtitle": "", "time": "", "date": "", "venue": "", "organisers": []}
        self.unplaced: list[str] = []
        self.notes: list[str] = []
        self.day_first = day_first
        self.messages = messages or {}
        self._organisers = False
        self._title_open = False

    def read(self, block: Block) -> None:
        if block.kind in ("title", "subtitle"):
            self._organisers = self._title_open = False
            text = block.text
            kicker = _KICKER_TITLE.match(text)
            if fold(text) in KICKERS:
                return
            if block.kind == "title" or kicker or not self.fields["title"]:  # a subtitle under a "Concept note" title
                self._set_title(kicker.group("title") if kicker else text, replace=True)
            elif not self.fields["subtitle"]:
                self.fields["subtitle"] = text
            else:
                self.unplaced.append(text)
            return
        for number, line in enumerate(block.lines):
            self._line(strip_markup(line), block.kind, continued=number > 0)

    def _set_title(self, text: str, *, replace=False) -> None:
        if self.fields["title"] and not replace:
            self.unplaced.append(text)
        else:
            self.fields["title"] = text.strip()

    def _note(self, key: str, **values) -> None:
        self.notes.append(self.messages[key] % values if key in self.messages else f"{key}: {values}")

    def _set_date(self, text: str) -> bool:
        found = find_date(text, day_first=self.day_first)
        if found is None:
            return False
        self.fields["date"] = format_date(found.value)
        if found.ambiguous:
            self._note("ambiguous_date", text=found.ambiguous, date=self.fields["date"])
        return True

    def _set_time(self, text: str) -> bool:
        found = find_time(text)
        if found is None:
            return False
        self.fields["time"] = format_time(found)
        return True

    def _line(self, text: str, kind: str, *, continued: bool) -> None:
        title_open, self._title_open = self._title_open, False
        if not text:
            return
        folded = fold(text)
        if folded in KICKERS:
            self._organisers = False
            return
        kicker = _KICKER_TITLE.match(text)
        if kicker:
            self._organisers = False
            self._set_title(kicker.group("title"))
            return
        field_value = labelled(text)
        if field_value:
            name, value = field_value
            self._organisers = name == "organisers"
            if name == "organisers":
                self.fields["organisers"] += split_organisers(value)
            elif name == "when":
                when = when_line(value, day_first=self.day_first)
                if not (when and (self._set_time(value) | self._set_date(value))):
                    self._note("unread", label=text)
                    self.unplaced.append(text)
                elif when.rest and not self.fields["venue"]:
                    self.fields["venue"] = when.rest
            elif name == "date" and not self._set_date(value) or name == "time" and not self._set_time(value):
                self._note("unread", label=text)
                self.unplaced.append(text)
            elif name == "date" and find_time(value):
                self._set_time(value)
            elif name in ("venue", "title"):
                if name == "title":
                    self._set_title(value, replace=True)
                else:
                    self.fields["venue"] = value
            return
        if self._organisers and kind != "heading":
            self.fields["organisers"] += split_organisers(text)
            return
        self._organisers = False
        when = when_line(text, day_first=self.day_first) if len(text) < 200 else None
        if when and (when.time or when.date):
            if when.time:
                self.fields["time"] = format_time(when.time)
            if when.date:
                self._set_date(text)
            if when.rest and not self.fields["venue"]:
                self.fields["venue"] = when.rest
            return
        if self.fields["title"] and not self.fields["venue"] and len(text) < 120 and _VENUE_WORDS.search(folded):
            self.fields["venue"] = text  # "Conference Room 12, UN Headquarters" on a line of its own
            return
        if not self.fields["title"] and kind != "item":
            self.fields["title"] = text
            self._title_open = len(text) >= 50
        elif title_open and continued:
            self.fields["title"] += " " + text  # a long title wrapped onto a second line
        else:
            self.unplaced.append(text)


def same_value(a, b) -> bool:
    """Whether a header value from a file says what the record says, ignoring case, accents and
    punctuation (and, for organisers, their order)."""
    if isinstance(a, list) or isinstance(b, list):
        return sorted(fold(x) for x in a or [] if fold(x)) == sorted(fold(x) for x in b or [] if fold(x))
    return fold(a or "") == fold(b or "")


def header_differences(from_file: dict, record: dict, fields) -> list[str]:
    """The header fields the file gives a value for that differ from the record."""
    return [name for name in fields if from_file.get(name) and not same_value(from_file[name], record.get(name))]
