"""What the job workers run: one line per job or periodic job (crontab fields in UTC)."""
from . import job, periodic

job("deliver-mail", "eventsite.jobs.tasks:deliver_mail")
job("deliver-webhooks", "eventsite.webhooks.services:deliver_due")

periodic("deliver-mail", "eventsite.jobs.tasks:deliver_mail", minute="*")  # retries, lost wake-ups, crashed workers
periodic("deliver-webhooks", "eventsite.webhooks.services:deliver_due", minute="*")  # new ones and retries
periodic("send-reminders", "eventsite.registrations.reminders:send_due_reminders_job", minute="*/10")
periodic("remind-rapporteurs", "eventsite.summaries.reminders:remind_rapporteurs_job", minute="7", hour="*")
periodic("send-change-notices", "eventsite.events.changes:send_due_change_notices", minute="*")
periodic("purge-personal-data", "eventsite.registrations.reminders:purge_personal_data_job", minute="17", hour="3")
periodic("expire-unverified-registrations", "eventsite.registrations.services:expire_unverified_registrations",
         minute="*/15")
periodic("forget-job-runs", "eventsite.jobs.tasks:forget_job_runs", minute="41", hour="4")
