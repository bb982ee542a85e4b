"""Webhooks: signed notifications to a URL an event's team or the forum's staff register."""
