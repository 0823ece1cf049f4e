"""Write side of the dossier app: start the exports of a ready report, run them, try again.

Running an export talks to other systems, so it is not one transaction: every remote URL is saved
the moment it is known (its own short transaction), and every document has a deterministic
`identificatie` that is looked up before anything is created. A retry after any failure (a 500,
a dropped connection, a response lost after the document was made) therefore continues where
the last attempt stopped and never files a document or a link twice.

The package re-exports every service, so callers import from `videocontact.dossier.services`."""

from videocontact.dossier.services.common import (  # noqa: F401
    FILING_KINDS,
    JOB_KIND,
    ExportRefused,
    ExportUnavailable,
    RunOutcome,
    _content,
    _item_save,
    log,
    photo_identificatie,
    photo_numbers,
    report_identificatie,
    visit_short_id,
)
from videocontact.dossier.services.exports import (  # noqa: F401
    _create_items,
    _fail,
    _schedule_retry,
    _start_retention_if_filed,
    _succeed,
    backoff,
    export_retry,
    export_run,
    exports_start,
)
from videocontact.dossier.services.targets import target_problems, target_save, zgw_config  # noqa: F401
from videocontact.dossier.services.webhook_filing import _run_webhook, webhook_payload  # noqa: F401
from videocontact.dossier.services.zgw_filing import (  # noqa: F401
    _document,
    _file_item,
    _refusal,
    _resolve_zaak,
    _run_zgw,
)
