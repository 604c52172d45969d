"""The themes library and the thematic input of sessions: every change goes through here."""
