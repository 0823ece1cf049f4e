"""Write side of visits: create, invite, redeem, consent, admit, deny, leave, end.

The package re-exports every service, so callers import from `videocontact.visits.services`."""

from videocontact.visits.errors import (  # noqa: F401  (callers catch them as services.X)
    Denied,
    GuestError,
    InvitationError,
    NotAllowed,
    NotWaiting,
    RoomFull,
)
from videocontact.visits.services.common import (  # noqa: F401
    CONSENT_TEXT_VERSION,
    GUEST_CONSENT_TEXT_VERSIONS,
    IssuedInvitation,
    _lock_visit,
    _validity_window,
    consent_text_version,
    publish_lobby,
    publish_presence,
    staff_display_name,
)
from videocontact.visits.services.guests import (  # noqa: F401
    MAX_GUESTS,
    _open_visit_for_guests,
    colleague_add,
    guest_add,
    guest_remove,
)
from videocontact.visits.services.invitations import (  # noqa: F401
    invitation_issue,
    invitation_redeem,
    invitation_revoke,
    invitation_revoke_by_id,
    participant_links_revoke,
)
from videocontact.visits.services.lifecycle import (  # noqa: F401
    _close,
    visit_cancel,
    visit_create,
    visit_end,
    visit_reschedule,
)
from videocontact.visits.services.room import (  # noqa: F401
    _admit,
    _recently_admitted,
    consent_record,
    participant_admit,
    participant_deny,
    participant_enter_room,
    participant_leave,
    staff_participant_get_or_create,
)
