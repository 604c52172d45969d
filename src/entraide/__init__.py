"""Entraide: a web platform for peer-support practice groups."""
