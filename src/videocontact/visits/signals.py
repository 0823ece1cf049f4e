"""The visit's domain events. Apps above visits subscribe in their AppConfig.ready(): rooms
publishes presence, the lobby and `ended` to the browsers; reports builds the report when a visit
ends; notifications sends notices; privacy and insights may record.

They are sent inside the service's transaction, so whatever a receiver writes (jobs, reports,
messages) commits or rolls back with the change. A receiver that talks to browsers must do so
after commit (`rooms.events.publish_on_commit`), so nobody sees uncommitted state."""

from django.dispatch import Signal

# visit, old_scheduled_at, by_user
visit_rescheduled = Signal()
# visit, by_user
visit_cancelled = Signal()
# visit, by_user
visit_ended = Signal()
# participant, by_user — let in from the waiting room
participant_admitted = Signal()
# participant, by_user — refused at the waiting room
participant_denied = Signal()
# participant, by_user — a guest taken off the visit
participant_removed = Signal()
# visit_id — who is in the call may have changed (a participant left, a guest was removed)
presence_changed = Signal()
# visit_id — what the caseworker's waiting-room panel shows may have changed (consent, codes,
# messages, a participant entering the waiting room)
lobby_changed = Signal()
