"""Write side of notifications: contact details, invitations, reminders, notices, SMS codes.

Every message is a `Message` row plus one durable job (`notifications.send`). The job sends at
most once: the row goes queued → sending (committed before the provider is called) → sent or
failed. A row found in `sending` by a later run belonged to a worker that died mid-send; it is
marked failed ("interrupted", visible with a "send again" button), never sent a second time
automatically. Join links and codes are made at the moment of sending and only their hashes are
stored, so no job payload or row ever holds a token.

The package re-exports every service, so callers import from `videocontact.notifications.services`."""

from videocontact.notifications.services.callbacks import CM_DELIVERED, CM_FAILED, delivery_report  # noqa: F401
from videocontact.notifications.services.codes import (  # noqa: F401
    CodeCheck,
    _code_hash,
    code_expired_job,
    code_request,
    code_verify,
)
from videocontact.notifications.services.common import (  # noqa: F401
    CODE_EXPIRY_JOB_KIND,
    JOB_KIND,
    CodeThrottled,
    NoAddress,
    NotificationError,
    _cancel_queued,
    _channels,
    _contact,
    _enqueue,
    _job_key,
    _masked,
    _next_sequence,
    format_time,
    log,
    public_link,
)
from videocontact.notifications.services.contacts import contact_save  # noqa: F401
from videocontact.notifications.services.delivery import (  # noqa: F401
    _backoff,
    _content,
    _fail,
    _prepare,
    _Prepared,
    _record,
    _stale_reason,
    _transmit,
    deliver_job,
    message_deliver,
)
from videocontact.notifications.services.lifecycle import (  # noqa: F401
    invitation_send,
    message_resend,
    on_visit_cancelled,
    on_visit_ended,
    on_visit_rescheduled,
    reminders_schedule,
)
