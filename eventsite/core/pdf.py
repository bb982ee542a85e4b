"""PDF documents in every UN script, typeset by Typst in a child process.

A builder adds titles, headings, paragraphs and lists; `render()` gives the PDF's bytes in well under
a second, so exports answer the request directly. Typst shapes Arabic and lays it right to left,
breaks Chinese lines by its own rules, and embeds subsets of the fonts in `eventsite/fonts/`, which
cover Latin, Cyrillic, Arabic and Chinese; no system font or library is used.

Typst keeps what it laid out in memory for the next compilation: 50-60 MiB after a few summaries,
over 300 MiB after a forum's outcome report. A short-lived child process (this file run as a script,
about 100 ms) gives all of it back at once, so web workers stay small, and a runaway document is
stopped by a time and memory limit instead of taking the worker with it.
"""
import json
import subprocess
import sys
import unicodedata
from pathlib import Path

FONTS = Path(__file__).resolve().parent.parent / "fonts"
LAYOUT = Path(__file__).with_suffix(".typ")
# Layouts other than the documents' one, by the name a JSON document gives in its "layout" field.
LAYOUTS = {"badges": Path(__file__).with_name("badges.typ")}
SECONDS = 60                # the outcome report of 50 summaries takes half a second
MEMORY = 2 * 1024 ** 3      # the child's data (heap, stacks); Typst needs a few hundred MiB at most


class PdfFailed(RuntimeError):
    """Typst did not produce the document (a bug, or a document past the limits)."""


# Letters of a script that makes a document's language, when nothing says which it is.
_SCRIPTS = (("ar", ((0x0600, 0x06FF), (0x0750, 0x077F), (0x08A0, 0x08FF), (0xFB50, 0xFDFF), (0xFE70, 0xFEFF))),
            ("zh", ((0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF))),
            ("ru", ((0x0400, 0x052F),)))


def text_direction(text: str, default: str = "ltr") -> str:
    """"rtl" or "ltr" from the first letter with a strong direction (Unicode's rule P2)."""
    for character in text:
        kind = unicodedata.bidirectional(character)
        if kind in ("R", "AL"):
            return "rtl"
        if kind == "L":
            return "ltr"
    return default


def script_language(texts) -> str:
    """The language whose script most of the letters are in: "ar", "zh", "ru", or "en" for Latin."""
    counts = dict.fromkeys([name for name, _ in _SCRIPTS] + ["en"], 0)
    for text in texts:
        for character in text:
            if not character.isalpha():
                continue
            code = ord(character)
            name = next((name for name, ranges in _SCRIPTS if any(a <= code <= b for a, b in ranges)), "en")
            counts[name] += 1
    return max(counts, key=counts.get) if any(counts.values()) else "en"


class PdfDocument:
    """A document as plain blocks; each block gets its own direction from its text."""

    def __init__(self, title: str, *, lang: str | None = None):
        self.title_text, self.lang, self.blocks = title, lang, []

    def _add(self, kind: str, text: str, **fields) -> None:
        self.blocks.append({"kind": kind, "text": text, **fields})

    def title(self, text: str) -> None:
        self._add("title", text)

    def heading(self, text: str, level: int = 1) -> None:
        self._add("heading", text, level=level)

    def kicker(self, text: str) -> None:
        """A short capitalised line between header and body ("SUMMARY")."""
        self._add("kicker", text)

    def paragraph(self, text: str) -> None:
        self._add("paragraph", text)

    def items(self, texts, *, numbered: bool = False) -> None:
        texts = [text for text in texts if text]
        if texts:
            self._add("list", " ".join(texts), items=texts, numbered=numbered)

    def render(self) -> bytes:
        """The PDF, with its language and title set and every block laid out in its own direction."""
        lang = self.lang or script_language(block["text"] for block in self.blocks)
        default = "rtl" if lang == "ar" else "ltr"
        blocks = [{**block, "dir": text_direction(block["text"], default)} for block in self.blocks]
        return run_typst(json.dumps({"title": self.title_text, "lang": lang, "blocks": blocks}))


def run_typst(document: str) -> bytes:
    """The PDF of a JSON document, typeset in the child process under its time and memory limits."""
    try:
        # -P: the folder of this file (which has a time.py) must not shadow the standard library
        done = subprocess.run([sys.executable, "-P", __file__], input=document.encode(), capture_output=True,
                              timeout=SECONDS)
    except subprocess.TimeoutExpired:
        raise PdfFailed(f"typesetting took more than {SECONDS} s") from None
    if done.returncode != 0 or not done.stdout.startswith(b"%PDF"):
        raise PdfFailed(done.stderr.decode(errors="replace")[-1000:] or f"exit status {done.returncode}")
    return done.stdout


def typeset(document: str) -> bytes:
    """Typst's PDF of a document given as the JSON that `PdfDocument.render` sends."""
    import typst
    layout = LAYOUTS.get(json.loads(document).get("layout"), LAYOUT)
    return typst.compile(layout.read_bytes(), font_paths=[str(FONTS)], ignore_system_fonts=True,
                         sys_inputs={"document": document})


if __name__ == "__main__":  # the child: JSON in, PDF out
    import resource
    resource.setrlimit(resource.RLIMIT_DATA, (MEMORY, MEMORY))
    sys.stdout.buffer.write(typeset(sys.stdin.read()))
