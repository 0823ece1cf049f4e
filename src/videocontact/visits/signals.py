"""Signals other apps listen to (notifications sends notices). Sent inside the service's
transaction, so whatever a receiver writes (jobs, messages) commits or rolls back with it."""

from django.dispatch import Signal

# visit, old_scheduled_at, by_user
visit_rescheduled = Signal()
# visit, by_user
visit_cancelled = Signal()
# visit, by_user
visit_ended = Signal()
