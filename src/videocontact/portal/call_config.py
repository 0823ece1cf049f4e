"""The JSON configuration handed to the call page (json_script; no inline script)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.utils import translation
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
        "removed": _("The caseworker has taken you off this call. You can close this page."),
        "replaced": _(
            "You opened this conversation somewhere else. This page is no longer in use."
        ),
        "full": _("The conversation is full: there are already %(max)s people in it.")
        % {"max": settings.VISIT_MAX_PARTICIPANTS},
        "unauthorized": _(
            "You have no access to this conversation. Please open the link from your invitation again."
        ),
        "switchCamera": _("Switch camera"),
        "hangUp": _("Leave"),
        "left": _("You left the conversation. Reload this page to join again."),
        "endForAll": _("End for everyone"),
        "confirmEnd": _("End the conversation for everyone?"),
        "admit": _("Let in"),
        "deny": _("Refuse"),
        "nobodyWaiting": _("Nobody is waiting."),
        "newDevice": _("new device: this link was opened in another browser before"),
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
        "frozen": _("The picture is standing still. The connection is bad. We are restoring it."),
        "connectionRestored": _("The connection is back. You are in the call."),
        **weak_network_strings(),
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
        # Two-channel join (notifications): where an invited person is at the SMS code step.
        "codeSending": _("code by text message is being sent"),
        "codeWaiting": _("has the code, %(n)s of %(m)s tries used"),
        "codeExpired": _("stuck: the code has expired"),
        "codeLocked": _("stuck: too many wrong codes"),
        "codeSendFailed": _("stuck: the text message could not be sent"),
        "codeNotRequested": _("has not asked for a code yet"),
        **form_strings(),
        **form_words(),
    }


def weak_network_strings() -> dict[str, str]:
    """A weak network (js/weak-network.js): the offer of sound only, and what the staff see."""
    return {
        "weakOffer": _(
            "The connection is weak, so your picture may stop. Do you want to use sound only? "
            "The others can still hear you."
        ),
        "weakChoose": _("Sound only"),
        "weakKeep": _("Keep the picture"),
        "weakAudioOnlyOn": _(
            "You are sending sound only, because the connection is weak. "
            "Your picture comes back when the connection is better."
        ),
        "weakBack": _("Turn the picture on again"),
        "weakRecovered": _("The connection is better. Your picture is on again."),
        "weakPeerAudioOnly": _("Sound only: the connection of this person is weak."),
    }


def form_strings() -> dict[str, str]:
    """The questionnaire sheet of the resident (js/form.js), in the language of the page."""
    return {
        "formOpened": _("The caseworker opened a form for you. Please fill it in."),
        "formLoadFailed": _("The form could not be loaded. Please reload the page."),
        "formHide": _("Hide the form"),
        "formShow": _("Show the form"),
        "formLanguage": _("Language of the form"),
        "formSaving": _("Saving…"),
        "formSaved": _("Saved"),
        "formOffline": _("No connection. Your answers will be saved when the connection is back."),
        "formReview": _("Check and sign"),
        "formReviewTitle": _("Check your answers"),
        "formReviewIntro": _(
            "Are your answers correct? Then go on to sign. Do you want to change something? Go back to the form."
        ),
        "formBack": _("Back to the form"),
        "formToSign": _("Go on to sign"),
        "formSignTitle": _("Sign"),
        "formSignIntro": _(
            "Sign with your finger in the box. With your signature you confirm that your answers are correct."
        ),
        "formSignBox": _("Box for your signature"),
        "formClear": _("Clear"),
        "formSign": _("Sign"),
        "formSignEmpty": _("Please put your signature in the box first."),
        "formSigning": _("Signing…"),
        "formSignFailed": _("Signing did not work. Please clear the box and try again."),
        "formIncomplete": _("Some questions still need an answer. They are marked in the form."),
        "formSignedTitle": _("Signed"),
        "formSignedAt": _("You signed on {time}."),
        "formSignedText": _(
            "Thank you. The caseworker has your answers. You can no longer change them."
        ),
        "formHashFull": _("Show the full check code"),
        "formReopened": _(
            "The caseworker opened the form again. You can change your answers. Then please sign again."
        ),
        "formLocked": _("The form is signed. You can no longer change it."),
        "formErrorRequired": _("Please answer this question."),
        "formErrorType": _("This answer has the wrong form."),
        "formErrorNumber": _("Please enter a number, for example 1250 or 12.50."),
        "formErrorTooLong": _("This answer is too long."),
        "formErrorTooSmall": _("This number is too small."),
        "formErrorTooLarge": _("This number is too large."),
        "formErrorDate": _("Please enter a valid date."),
        "formErrorOption": _("Please choose one of the options."),
        "formErrorOther": _("This answer could not be saved. Please try again."),
    }


def form_words() -> dict[str, str]:
    """Words inside the questions follow the language of the questionnaire, which the resident
    can change during the call: these few come in every resident language ("fw.ar.yes"), with
    the name of each language in itself ("languageName.ar")."""
    words: dict[str, str] = {
        f"languageName.{code}": name
        for code, name in settings.QUESTIONNAIRE_EXTRA_LANGUAGES.items()
    }
    names = dict(settings.LANGUAGES)
    for language in settings.RESIDENT_UI_LANGUAGES:
        words[f"languageName.{language}"] = names.get(language, language)
        with translation.override(language):
            words[f"fw.{language}.yes"] = _("Yes")
            words[f"fw.{language}.no"] = _("No")
            words[f"fw.{language}.required"] = _("(required)")
            words[f"fw.{language}.readAloud"] = _("Read aloud")
            words[f"fw.{language}.stopReading"] = _("Stop reading")
            # In the language app's catalog (read aloud by the server, else the phone's voice).
            words[f"fw.{language}.noVoice"] = _(
                "Reading aloud is not possible in this language on this phone."
            )
            words[f"fw.{language}.photo"] = _("The caseworker can take a photo here.")
            words[f"fw.{language}.notAnswered"] = _("Not answered")
    return words


def staff_form_strings() -> dict[str, str]:
    """The live, read-only view of the questionnaire in the caseworker's panel."""
    return {
        "formStaffTitle": _("Questionnaire"),
        "formStart": _("Start the questionnaire"),
        "formStarting": _("Starting the questionnaire…"),
        "formNoTemplate": _("There is no questionnaire for this process."),
        "formNoForm": _("The questionnaire has not been started."),
        "formResidentLanguage": _("Language of the resident: {language}"),
        "formProgress": _("{answered} of {total} questions answered"),
        "formFilling": _("The resident is filling in the form."),
        "formStaffSigned": _("Signed by the resident on {time}."),
        "formStaffHash": _("Check code for the case file"),
        "formReopen": _("Reopen"),
        "formConfirmReopen": _(
            "Reopen the form? The signature will no longer count; the resident must sign again."
        ),
        "formStaffReopened": _("The form is open again. The resident must sign again."),
        "formNotes": _("Internal notes (not visible to the resident)"),
        "formNotesSaved": _("Notes saved."),
        "formNotesSaving": _("Saving…"),
        "formNotesOther": _("A colleague changed the notes."),
        "formNotesNotApproved": _(
            "Internal notes are not stored for this process: the privacy officer has not approved it."
        ),
        "formStaffPhoto": _("Photo (taken by the caseworker)"),
        "formStaffPhotoTaken": _("Photo taken"),
        "formStaffPhotosTaken": _("{n} photos taken"),
        # In the language app's catalog: the resident's phone reads the question aloud.
        "formStaffReadAloud": _("Read aloud on the resident's phone"),
        "formTakePhoto": _("Take a photo"),
        "formStaffRequired": _("required"),
        "formYes": _("Yes"),
        "formNo": _("No"),
        "formNotAnswered": _("Not answered"),
    }


def call_config(visit: Visit, participant: Participant, *, is_staff: bool) -> dict[str, Any]:
    return {
        "visitId": str(visit.id),
        "wsPath": f"/ws/visits/{visit.id}/",
        "isStaff": is_staff,
        "role": participant.role,
        "debugHooks": bool(settings.CALL_DEBUG_HOOKS),
        "strings": {**call_strings(), **staff_form_strings()} if is_staff else call_strings(),
    }
