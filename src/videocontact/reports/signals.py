"""Signals other apps may listen to (the dossier app files a ready report into the case file)."""

from django.dispatch import Signal

# Sent after the transaction that marked a report ready has committed. kwargs: report.
report_ready = Signal()
