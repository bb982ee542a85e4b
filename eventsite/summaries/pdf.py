"""The summary as PDF: LibreOffice takes seconds, so a job worker converts it and the page waits.

One conversion per summary revision: later downloads of the same revision are served from the
stored file; a new revision gets a new conversion.
"""
import subprocess
from datetime import timedelta

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from ..core.time import utcnow
from ..extensions import db
from . import documents, services
from .models import Summary, SummaryPdf

STALE = timedelta(minutes=5)  # a conversion not finished by then was lost with its worker


def pdf_of(summary: Summary) -> SummaryPdf | None:
    """The conversion of the summary's current revision, if one was asked for."""
    return db.session.scalar(select(SummaryPdf).where(SummaryPdf.event_id == summary.event_id,
                                                      SummaryPdf.revision == summary.revision))


def request_pdf(summary: Summary) -> tuple[SummaryPdf, bool]:
    """The conversion of the current revision, started if needed; True when a job must be enqueued."""
    pdf = pdf_of(summary)
    if pdf is None:
        try:
            with db.session.begin_nested():
                pdf = SummaryPdf(event_id=summary.event_id, revision=summary.revision)
                db.session.add(pdf)
        except IntegrityError:  # someone asked at the same moment
            return pdf_of(summary), False
        return pdf, True
    lost = pdf.finished_at is None and pdf.requested_at < utcnow() - STALE
    if pdf.error or lost:
        pdf.error, pdf.started_at, pdf.requested_at = None, None, utcnow()
        db.session.flush()
        return pdf, True
    return pdf, False


def render_pdf(pdf_id: int) -> None:
    """The job: convert the revision with LibreOffice and store the file, or the reason it failed."""
    claimed = db.session.execute(update(SummaryPdf).where(SummaryPdf.id == pdf_id, SummaryPdf.started_at.is_(None))
                                 .values(started_at=utcnow())).rowcount
    db.session.commit()
    if not claimed:
        return  # another worker is on it
    pdf = db.session.get(SummaryPdf, pdf_id)
    summary = db.session.get(Summary, pdf.event_id)
    event = summary.event
    try:
        data = documents.summary_docx(services.content_of(summary, event), services.template_of(event),
                                      event.forum.name if event.forum else "")
        pdf.content = documents.docx_to_pdf(data)
    except documents.ExportUnavailable as error:
        pdf.error = str(error)[:500]
    except (subprocess.SubprocessError, OSError) as error:
        pdf.error = f"LibreOffice could not convert the summary ({type(error).__name__})."
    pdf.finished_at = utcnow()
    db.session.flush()
