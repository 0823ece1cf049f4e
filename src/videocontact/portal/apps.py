from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "videocontact.portal"
    label = "portal"

    def ready(self) -> None:
        from videocontact.evidence.selectors import register_question_labels
        from videocontact.portal import admin_groups, admin_policy
        from videocontact.questionnaires.selectors import question_labels

        admin_groups.install()
        admin_policy.install()
        # A photo taken at a questionnaire question shows that question's label in the gallery.
        register_question_labels(question_labels)
