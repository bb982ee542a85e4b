"""Every model, imported in one place for the app factory and Alembic."""
from .accounts.models import ApiToken, Membership, RecoveryCode, SitePolicy, User  # noqa: F401
from .core.mail import OutboxAttachment, OutboxMessage  # noqa: F401
from .core.mail_preferences import MailOptOut  # noqa: F401
from .jobs.models import JobRun  # noqa: F401
from .events.models import (ConceptNote, ConceptNoteRevision, DeletedEvent, Event, EventOrganiser,  # noqa: F401
                            EventOccurrence, EventSdg, Forum, Organisation, Room, StatusChange)
from .series.models import Series  # noqa: F401
from .events.changes import ChangeNotice  # noqa: F401
from .agenda.models import AgendaItem  # noqa: F401
from .speakers.models import Person, SpeakerAssignment  # noqa: F401
from .registrations.models import Question, Registration, RegistrationSettings  # noqa: F401
from .summaries.models import Summary, SummaryRevision, SummaryTemplate  # noqa: F401
from .activity.models import ActivityEntry  # noqa: F401
from .webhooks.models import Webhook, WebhookDelivery  # noqa: F401
from .notifications.models import EventMailParagraph, ForumMailText  # noqa: F401
from .programme.models import OfficialMeeting  # noqa: F401
