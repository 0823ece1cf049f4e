from django.urls import path

from videocontact.portal import privacy_approvals, privacy_officer
from videocontact.portal import views_resident as resident
from videocontact.portal import views_staff as staff

resident_patterns = (
    [
        path("j/<str:token>", resident.join, name="join"),
        path("link", resident.link_problem, name="link_problem"),
        path("v/<uuid:visit_id>/", resident.entry, name="entry"),
        path("v/<uuid:visit_id>/consent", resident.consent, name="consent"),
        path("v/<uuid:visit_id>/declined", resident.declined, name="declined"),
        path("v/<uuid:visit_id>/code", resident.code, name="code"),
        path("v/<uuid:visit_id>/check", resident.check, name="check"),
        path("v/<uuid:visit_id>/call", resident.call, name="call"),
    ],
    "resident",
)

staff_patterns = (
    [
        path("", staff.dashboard, name="dashboard"),
        path("visits/new", staff.visit_new, name="visit_new"),
        path("visits/<uuid:visit_id>/", staff.visit_detail, name="visit"),
        path("visits/<uuid:visit_id>/call", staff.visit_call, name="call"),
        path("visits/<uuid:visit_id>/invitation", staff.invitation_renew, name="invitation_renew"),
        path("visits/<uuid:visit_id>/revoke", staff.invitation_revoke, name="invitation_revoke"),
        path("visits/<uuid:visit_id>/end", staff.visit_end, name="visit_end"),
        path("visits/<uuid:visit_id>/guests", staff.guest_add, name="guest_add"),
        path(
            "visits/<uuid:visit_id>/guests/<uuid:participant_id>/remove",
            staff.guest_remove,
            name="guest_remove",
        ),
        path(
            "visits/<uuid:visit_id>/guests/<uuid:participant_id>/link",
            staff.guest_link_renew,
            name="guest_link_renew",
        ),
    ],
    "staff",
)

privacy_patterns = (
    [
        path("audit", privacy_officer.audit_search, name="audit"),
        path("storage", privacy_approvals.storage_list, name="storage"),
        path(
            "storage/<int:process_id>",
            privacy_approvals.storage_approve_view,
            name="storage_approve",
        ),
        path("visits/<uuid:visit_id>/hold", privacy_officer.legal_hold_add, name="hold_add"),
        path(
            "visits/<uuid:visit_id>/release", privacy_officer.legal_hold_remove, name="hold_remove"
        ),
        path("visits/<uuid:visit_id>/export", privacy_officer.subject_access, name="export"),
        path("modules", privacy_officer.modules, name="modules"),
        path(
            "modules/<int:organisation_id>/<slug:module>",
            privacy_officer.module_toggle,
            name="module_toggle",
        ),
    ],
    "privacy",
)
