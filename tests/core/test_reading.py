"""Header lines as secretariats type them: every order of date, 12- and 24-hour times, every dash."""
from datetime import date

import pytest

from eventsite.core.reading import HeaderReader, find_date, find_time, format_date, format_time, text_blocks, when_line


@pytest.mark.parametrize("text,expected", [
    ("11:45 - 13:00", "11:45 - 13:00"),
    ("1:15 pm – 2:30 pm", "13:15 - 14:30"),
    ("1:15 – 2:30 p.m.", "13:15 - 14:30"),
    ("11:30 a.m. — 1 p.m.", "11:30 - 13:00"),
    ("13h15–14h30", "13:15 - 14:30"),
    ("13.15 to 14.30", "13:15 - 14:30"),
    ("de 13h15 à 14h30", "13:15 - 14:30"),
    ("de 15:00 a 16:15 horas", "15:00 - 16:15"),
    ("08:15‒09:30", "08:15 - 09:30"),
    ("12:00 PM - 1:15 PM", "12:00 - 13:15"),
])
def test_a_time_range_is_read_whichever_way_it_is_written(text, expected):
    assert format_time(find_time(text)) == expected


@pytest.mark.parametrize("text", ["2025-05-06", "5 - 8 bullet points", "Room 10 - 12", "SDG 4 – 9"])
def test_what_only_looks_like_a_time_is_not_one(text):
    assert find_time(text) is None


@pytest.mark.parametrize("text", ["6 May 2025", "May 6, 2025", "Tuesday, 6 May 2025", "Tue 6th May 2025",
                                  "2025-05-06", "mardi 6 mai 2025", "martes, 6 de mayo de 2025", "6/5/2025"])
def test_a_date_is_read_in_any_order_and_language(text):
    assert find_date(text).value == date(2025, 5, 6)


def test_a_date_that_reads_both_ways_is_flagged_and_one_that_cannot_is_not():
    assert find_date("06/05/2025").ambiguous == "06/05/2025"
    assert find_date("06/05/2025", day_first=False).value == date(2025, 6, 5)
    assert find_date("13/05/2025").ambiguous is None and find_date("05/13/2025").value == date(2025, 5, 13)
    assert format_date(date(2025, 5, 6)) == "6 May 2025"


def test_a_when_line_gives_its_time_date_and_venue():
    found = when_line("Tuesday, 6 May 2025 | 1:15 pm – 2:30 pm | Conference Room 4, UN Headquarters")
    assert (format_time(found.time), format_date(found.date.value), found.rest) == (
        "13:15 - 14:30", "6 May 2025", "Conference Room 4, UN Headquarters")


@pytest.mark.parametrize("line, venue", [("[15:00 - 16:15، 7 مايو 2025، قاعة المؤتمرات 4]", "قاعة المؤتمرات 4"),
                                         ("[15:00 - 16:15，2025年5月7日，第4会议室]", "第4会议室")])
def test_a_when_line_written_with_an_arabic_or_chinese_comma_reads_the_same(line, venue):
    found = when_line(line)
    assert (format_time(found.time), format_date(found.date.value), found.rest) == ("15:00 - 16:15", "7 May 2025",
                                                                                    venue)


@pytest.mark.parametrize("label", ["Organized by:", "Organised by", "Organizers:", "Co-organized by:", "Hosted by",
                                   "Organisé par :", "Organizado por:"])
def test_every_organiser_label_starts_the_organisers(label):
    reader = HeaderReader()
    for block in text_blocks(f"A title\n\n{label} First Organisation; Second Organisation\n", lambda line: False):
        reader.read(block)
    assert reader.fields["organisers"] == ["First Organisation", "Second Organisation"]


def test_hard_wrapped_lines_are_joined_and_blank_lines_separate():
    blocks = text_blocks("One sentence that was\nwrapped by the mail client.\n\n• A bullet that\n  wraps too\n"
                         "– A second bullet\n", lambda line: False)
    assert [(b.kind, b.text) for b in blocks] == [("text", "One sentence that was wrapped by the mail client."),
                                                  ("item", "A bullet that wraps too"), ("item", "A second bullet")]
