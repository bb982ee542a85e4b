"""E-mails people can shape: an organiser's own paragraph, the forum's texts, and who gets which optional mail."""
