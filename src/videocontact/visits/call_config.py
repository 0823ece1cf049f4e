"""The JSON configuration handed to the call page (json_script; no inline script)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from videocontact.visits.models import Participant, Visit


def call_strings() -> dict[str, str]:
    return {
        "connecting": _("Connecting…"),
        "reconnecting": _("The connection was lost. We are reconnecting…"),
        "waiting": _("Please wait. The caseworker will let you in soon."),
        "admitted": _("You are in the call."),
        "denied": _(
            "The caseworker did not let you in. Please call the municipality if you think this is a mistake."
        ),
        "ended": _("The conversation has ended. Thank you. You can close this page."),
        "replaced": _(
            "You opened this conversation somewhere else. This page is no longer in use."
        ),
        "full": _("The conversation is full: there are already 4 people in it."),
        "unauthorized": _(
            "You have no access to this conversation. Please open the link from your invitation again."
        ),
        "mute": _("Microphone off"),
        "unmute": _("Microphone on"),
        "cameraOff": _("Camera off"),
        "cameraOn": _("Camera on"),
        "switchCamera": _("Switch camera"),
        "hangUp": _("Leave"),
        "left": _("You left the conversation. Reload this page to join again."),
        "endForAll": _("End for everyone"),
        "confirmEnd": _("End the conversation for everyone?"),
        "admit": _("Let in"),
        "deny": _("Refuse"),
        "nobodyWaiting": _("Nobody is waiting."),
        "askRear": _("Ask for the rear camera"),
        "askFront": _("Ask for the front camera"),
        "promptRear": _(
            "The caseworker asks you to use the camera on the back of your phone. Then you can show your home."
        ),
        "promptFront": _("The caseworker asks you to use the camera on the front of your phone."),
        "promptAccept": _("Switch camera"),
        "promptDecline": _("Not now"),
        "commandAccepted": _("The camera was switched."),
        "commandDeclined": _("The other person chose not to switch the camera."),
        "startAudio": _("Tap to turn on the sound"),
        "noCamera": _(
            "We cannot use your camera or microphone. Check that you allowed this in your browser."
        ),
        "connectionProblem": _("The video connection is poor. We are trying again."),
        "you": _("You"),
        "muted": _("microphone off"),
        "videoOff": _("camera off"),
        "inCall": _("in the call"),
        "waitingSince": _("waiting"),
        "roleCaseworker": _("Caseworker"),
        "roleResident": _("Resident"),
        "roleInterpreter": _("Interpreter"),
        "roleFamily": _("Family member or helper"),
        "roleColleague": _("Second caseworker"),
        "stateInvited": _("invited"),
        "stateDeclined": _("declined to take part"),
        "stateConsented": _("gave consent, checking the device"),
        "stateWaiting": _("in the waiting room"),
        "stateAdmitted": _("in the call"),
        "stateDenied": _("not let in"),
        "stateLeft": _("left"),
    }


def call_config(visit: Visit, participant: Participant, *, is_staff: bool) -> dict[str, Any]:
    return {
        "visitId": str(visit.id),
        "wsPath": f"/ws/visits/{visit.id}/",
        "isStaff": is_staff,
        "role": participant.role,
        "strings": call_strings(),
    }


def check_strings() -> dict[str, str]:
    return {
        "ready": _("Your camera and microphone work. You can continue."),
        "denied": _(
            "You did not allow the camera or microphone. Tap the lock icon next to the web address, allow them, and reload the page."
        ),
        "noDevice": _(
            "We found no camera or microphone. You can still continue; the caseworker can help you."
        ),
        "camera": _("Camera"),
        "insecure": _("This page needs a secure connection (https) to use the camera."),
    }
