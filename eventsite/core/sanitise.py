"""Rich text from users is cleaned with nh3 before it is stored."""
import html
import re

import nh3

ALLOWED_TAGS = {"p", "br", "strong", "b", "em", "i", "u", "ul", "ol", "li", "a", "blockquote", "h3", "h4"}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}
_TAG = re.compile(r"<[^>]+>")
_BLOCK_END = re.compile(r"</(p|li|h3|h4|blockquote)>|<br\s*/?>", re.I)


def clean_html(value: str) -> str:
    return nh3.clean(value or "", tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES,
                     url_schemes={"http", "https", "mailto"}, link_rel="noopener noreferrer nofollow").strip()


def looks_like_html(value: str) -> bool:
    return bool(_TAG.search(value or ""))


def paragraphs_to_html(text: str) -> str:
    """Plain text, blank-line separated, as sanitised <p> paragraphs."""
    parts = [p.strip() for p in re.split(r"\n\s*\n", text or "") if p.strip()]
    return clean_html("".join(f"<p>{html.escape(' '.join(p.split()))}</p>" for p in parts))


def rich_text_input(value: str) -> str:
    """What a user typed in a rich-text box: HTML is sanitised, plain text becomes paragraphs."""
    return clean_html(value) if looks_like_html(value) else paragraphs_to_html(value)


def html_to_paragraphs(value: str) -> list[str]:
    """Sanitised HTML back to plain paragraphs, for Word, Markdown and search."""
    text = _BLOCK_END.sub("\n\n", value or "")
    text = html.unescape(_TAG.sub("", text))
    return [" ".join(p.split()) for p in re.split(r"\n\s*\n", text) if p.strip()]


_ONLY_PARAGRAPHS = re.compile(r"^(?:<p>[^<]*</p>\s*)*$")


def background_for_editor(value: str) -> str:
    """Plain paragraphs when the stored HTML has no other formatting, so nobody edits tags they never typed."""
    if _ONLY_PARAGRAPHS.match(value or ""):
        return "\n\n".join(html_to_paragraphs(value))
    return value
