"""The activity log: who did what to an event, and when."""
