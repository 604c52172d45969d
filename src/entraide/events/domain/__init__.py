"""The rules of events and registrations: every change goes through these functions."""
