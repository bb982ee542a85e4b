"""Dashboards: a forum's shape (for its secretariat) and an event's (for its organisers) as charts."""
