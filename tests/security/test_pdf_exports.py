"""What people type reaches the PDF as text: Typst markup, code and file paths in it print as they are."""
from eventsite.events import services
from eventsite.events.models import Status
from eventsite.extensions import db
from tests.factories import make_event, make_forum, make_user
from tests.pdf_reading import read_back

TYPED = ['#read("/etc/passwd")', '#import "@preview/cetz:0.3.0": *', "$x^2$ *bold* _it_ <label> @ref",
         '#{ panic() } #eval("1") ]) \\ // not a comment', "/* not a comment */ `raw` = heading"]


def test_typst_markup_in_a_concept_note_is_printed_not_run(client, ctx):
    author = make_user()
    event = make_event(make_forum(), organiser=author, title=TYPED[0], status=Status.PUBLISHED, concept_note=False)
    services.save_concept_note(event, {"background": "<p>" + TYPED[1] + "</p>", "objectives": TYPED[2:]},
                               user=author)
    db.session.commit()
    response = client.get(f"/events/{event.slug}/concept-note.pdf")
    assert response.status_code == 200
    text = read_back(response.data)
    for typed in TYPED:
        assert typed in text, typed
    assert "root:" not in text
