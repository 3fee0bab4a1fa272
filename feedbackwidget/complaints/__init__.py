"""Complaint handling: receive, record, resolve, analyse, within the legal deadline."""
