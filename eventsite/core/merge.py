"""Three-way merge of documents made of named sections, for two people whose edits crossed.

A document is a mapping of section key to a value (a string or a list of strings). The base is
the revision the editor was loaded from, "theirs" what was saved meanwhile, "mine" what is being
saved. A section only one side changed takes that side; a section both changed the same way is
settled; a section both changed differently is a conflict the person resolves.
"""
import difflib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from ..errors import Conflict

UNCHANGED, THEIRS, MINE, SAME, CONFLICT = "unchanged", "theirs", "mine", "same", "conflict"
CHOICES = ("mine", "theirs", "edit")


@dataclass
class SectionMerge:
    """One section seen three ways, with what each side changed since the base."""

    key: str
    base: object
    theirs: object
    mine: object
    their_changes: list[tuple[str, str]] = field(default_factory=list)
    my_changes: list[tuple[str, str]] = field(default_factory=list)

    @property
    def state(self) -> str:
        theirs_changed, mine_changed = self.theirs != self.base, self.mine != self.base
        if theirs_changed and mine_changed:
            return SAME if self.theirs == self.mine else CONFLICT
        return THEIRS if theirs_changed else MINE if mine_changed else UNCHANGED

    @property
    def conflict(self) -> bool:
        return self.state == CONFLICT

    @property
    def merged(self):
        """The value the section takes by itself; for a conflict, mine until the person chooses."""
        return self.theirs if self.state == THEIRS else self.mine


def line_changes(old: list[str], new: list[str]) -> list[tuple[str, str]]:
    """Lines (paragraphs or list items) as (kind, text), kind "+", "-" or " ", old to new."""
    out: list[tuple[str, str]] = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, old, new, autojunk=False).get_opcodes():
        if tag == "equal":
            out += [(" ", line) for line in old[i1:i2]]
        else:
            out += [("-", line) for line in old[i1:i2]] + [("+", line) for line in new[j1:j2]]
    return out


def merge_sections(keys, base: Mapping, theirs: Mapping, mine: Mapping,
                   as_lines: Callable[[str, object], list[str]]) -> dict[str, SectionMerge]:
    """Each section of the three versions compared; as_lines renders a value for the diffs."""
    result = {}
    for key in keys:
        b, t, m = base.get(key), theirs.get(key), mine.get(key)
        result[key] = SectionMerge(key, b, t, m, line_changes(as_lines(key, b), as_lines(key, t)),
                                   line_changes(as_lines(key, b), as_lines(key, m)))
    return result


def _same_text(a: str | None, b: str | None) -> bool:
    return " ".join((a or "").split()) == " ".join((b or "").split())


@dataclass
class Resolution:
    """The texts to save after the person chose, section by section, and what is still undecided."""

    texts: dict[str, str]
    errors: dict[str, str]


def apply_choices(conflicts, choices: Mapping, boxes: Mapping, mine: Mapping, offered: Mapping,
                  theirs: Mapping, messages: Mapping[str, str]) -> Resolution:
    """The person's choice for each conflicting section: their own earlier text ("mine"), the version
    saved meanwhile ("theirs") or the edited box ("edit"). A box edited while choosing another
    option is not thrown away silently: the choice is asked again."""
    texts, errors = dict(boxes), {}
    for key in conflicts:
        choice = choices.get(key)
        if choice not in CHOICES:
            errors[key] = messages["choose"]
        elif choice != "edit" and not _same_text(boxes.get(key), offered.get(key)):
            errors[key] = messages["edited"]
        elif choice == "mine":
            texts[key] = mine.get(key, "")
        elif choice == "theirs":
            texts[key] = theirs.get(key, "")
    return Resolution(texts, errors)


class EditConflict(Conflict):
    """A save based on an older revision: the sections merged so far, for the person to finish."""

    def __init__(self, message, *, sections: dict[str, SectionMerge], revision: int, author: str):
        super().__init__(message)
        self.sections, self.revision, self.author = sections, revision, author

    @property
    def conflicts(self) -> list[str]:
        return [key for key, section in self.sections.items() if section.conflict]


def show_merge(form, conflict: EditConflict, as_text: Callable[[str, object], str]) -> None:
    """Fill the editor for the next save: based on the newest revision, each section merged where
    it merges by itself, the person's own text kept in the box where both changed it."""
    form.merge_base.data = str(form.base_revision.data or 0)
    form.base_revision.data = conflict.revision
    form.base_revision.raw_data = [str(conflict.revision)]
    for key, section in conflict.sections.items():
        if section.state == THEIRS:
            form[key].data = as_text(key, section.theirs)
        own = form[key].data or "" if section.conflict else ""
        form[f"mine_{key}"].data = form[f"offered_{key}"].data = own
        form[f"resolve_{key}"].data = None
    form.conflicts.data = ",".join(conflict.conflicts)


def pending_base(form) -> int | None:
    """The base of the merge a form is resolving, to show it again beside a missing choice."""
    if not form.conflicts.data:
        return None
    try:
        return int(form.merge_base.data)
    except (TypeError, ValueError):
        return None


def apply_form_choices(form, keys, theirs_text: Callable[[], Mapping[str, str]], messages) -> bool:
    """Put the person's choices for the conflicting sections into the form's boxes; False, with the
    errors beside the sections, when a choice is missing or contradicts an edit."""
    conflicts = [key for key in (form.conflicts.data or "").split(",") if key in keys]
    if not conflicts:
        return True
    boxes = {key: form[key].data or "" for key in keys}
    resolution = apply_choices(
        conflicts, {key: form[f"resolve_{key}"].data for key in conflicts}, boxes,
        {key: form[f"mine_{key}"].data or "" for key in conflicts},
        {key: form[f"offered_{key}"].data or "" for key in conflicts}, theirs_text(), messages)
    for key, message in resolution.errors.items():
        form[key].errors = [*form[key].errors, message]
    if resolution.errors:
        return False
    for key in conflicts:
        form[key].data = resolution.texts[key]
        form[f"mine_{key}"].data = form[f"offered_{key}"].data = ""
    form.conflicts.data = ""
    return True
