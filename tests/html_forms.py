"""What a browser would send back from a page's form: its inputs, checked radios, selects and textareas."""
from html.parser import HTMLParser


class _FormReader(HTMLParser):
    def __init__(self, action_ends_with: str):
        super().__init__(convert_charrefs=True)
        self.action_ends_with, self.inside, self.values, self.textarea = action_ends_with, False, {}, None
        self.select = None  # a select sends its selected option, or else its first

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.inside = (attrs.get("action") or "").endswith(self.action_ends_with)
        elif self.inside and tag == "input" and attrs.get("name"):
            kind = attrs.get("type", "text")
            if kind in ("radio", "checkbox"):
                if "checked" in attrs:
                    self.values[attrs["name"]] = attrs.get("value", "on")
            elif kind not in ("submit", "file"):
                self.values[attrs["name"]] = attrs.get("value") or ""
        elif self.inside and tag == "select" and attrs.get("name"):
            self.select = attrs["name"]
        elif self.select and tag == "option":
            if self.select not in self.values or "selected" in attrs:
                self.values[self.select] = attrs.get("value") or ""
        elif self.inside and tag == "textarea":
            self.textarea = attrs["name"]
            self.values[self.textarea] = ""

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "textarea":
            self.textarea = None
        elif tag == "select":
            self.select = None

    def handle_data(self, data):
        if self.textarea:
            self.values[self.textarea] += data


def form_values(page: str, action_ends_with: str) -> dict:
    """The fields of the form whose action ends with the given path, as the browser would post them."""
    reader = _FormReader(action_ends_with)
    reader.feed(page)
    # a browser drops the newline that follows <textarea>
    return {name: value.removeprefix("\r\n").removeprefix("\n") for name, value in reader.values.items()}
