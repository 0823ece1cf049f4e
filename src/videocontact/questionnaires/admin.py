"""Functional administrators import and export template versions as JSON."""

from __future__ import annotations

import json
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext_lazy as _

from videocontact.accounts.models import Process
from videocontact.questionnaires.definition import DefinitionError
from videocontact.questionnaires.models import QuestionnaireTemplate, TemplateVersion
from videocontact.questionnaires.services import template_import

MAX_IMPORT_BYTES = 2 * 1024 * 1024


class ImportForm(forms.Form):
    process = forms.ModelChoiceField(queryset=Process.objects.all(), label=_("Process"))
    file = forms.FileField(label=_("Template file (JSON)"))

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_IMPORT_BYTES:
            raise forms.ValidationError(_("The file is larger than 2 MB."))
        try:
            return json.loads(upload.read().decode("utf-8"))
        except (UnicodeDecodeError, ValueError) as exc:
            raise forms.ValidationError(_("This is not a valid JSON file: %s") % exc) from exc


class EditForm(forms.Form):
    definition = forms.CharField(
        label=_("Template (JSON)"),
        widget=forms.Textarea(attrs={"rows": 30, "cols": 100}),
        max_length=MAX_IMPORT_BYTES,
    )

    def clean_definition(self) -> Any:
        try:
            return json.loads(self.cleaned_data["definition"])
        except ValueError as exc:
            raise forms.ValidationError(_("This is not valid JSON: %s") % exc) from exc


class VersionInline(admin.TabularInline):
    model = TemplateVersion
    fields = ["number", "created_at", "created_by", "export_link", "edit_link"]
    readonly_fields = fields  # type: ignore[assignment]
    extra = 0
    can_delete = False

    @admin.display(description=_("Export"))
    def export_link(self, obj: TemplateVersion) -> str:
        from django.utils.html import format_html

        return format_html('<a href="../../version/{}/export/">JSON</a>', obj.pk)

    @admin.display(description=_("Change"))
    def edit_link(self, obj: TemplateVersion) -> str:
        from django.utils.html import format_html

        return format_html(
            '<a href="../../version/{}/edit/">{}</a>', obj.pk, _("Edit as a new version")
        )

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(QuestionnaireTemplate)
class QuestionnaireTemplateAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "process", "is_default"]
    inlines = [VersionInline]
    change_list_template = "admin/questionnaires/change_list.html"

    def get_urls(self) -> list[Any]:
        own = [
            path(
                "import/", self.admin_site.admin_view(self.import_view), name="questionnaire_import"
            ),
            path(
                "version/<int:pk>/export/",
                self.admin_site.admin_view(self.export_view),
                name="questionnaire_export",
            ),
            path(
                "version/<int:pk>/edit/",
                self.admin_site.admin_view(self.edit_view),
                name="questionnaire_edit",
            ),
        ]
        return own + super().get_urls()

    def _version(self, request: HttpRequest, pk: int) -> TemplateVersion:
        """A version of a template this user may see in the admin (the organisation's own)."""
        return get_object_or_404(
            TemplateVersion.objects.select_related("template"),
            pk=pk,
            template__in=self.get_queryset(request),
        )

    def import_view(self, request: HttpRequest) -> HttpResponse:
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = ImportForm(request.POST or None, request.FILES or None)
        process_field = QuestionnaireTemplate._meta.get_field("process")
        choices = self.formfield_for_foreignkey(process_field, request)
        if choices is not None:
            form.fields["process"].queryset = choices.queryset  # type: ignore[attr-defined]
        if request.method == "POST" and form.is_valid():
            try:
                version = template_import(
                    process=form.cleaned_data["process"],
                    data=form.cleaned_data["file"],
                    by_user=request.user,  # type: ignore[arg-type]
                )
            except DefinitionError as exc:
                form.add_error("file", f"{exc.path}: {exc.message}")
            else:
                messages.success(request, _("Imported as version %(n)s.") % {"n": version.number})
                return redirect("admin:questionnaires_questionnairetemplate_changelist")
        context = {
            **self.admin_site.each_context(request),
            "form": form,
            "title": _("Import questionnaire template"),
        }
        return render(request, "admin/questionnaires/import.html", context)

    def export_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        version = self._version(request, pk)
        body = json.dumps(version.definition, ensure_ascii=False, indent=2)
        response = HttpResponse(body, content_type="application/json; charset=utf-8")
        filename = f"{version.template.code}-v{version.number}.json"
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response

    def edit_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        """A used version never changes: the edited JSON is saved as the next version."""
        version = self._version(request, pk)
        if not self.has_change_permission(request, version.template):
            raise PermissionDenied
        initial = {"definition": json.dumps(version.definition, ensure_ascii=False, indent=2)}
        form = EditForm(request.POST or None, initial=initial)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data["definition"]
            if not isinstance(data, dict) or data.get("code") != version.template.code:
                form.add_error(
                    "definition",
                    _("Keep the template's code: %(code)s") % {"code": version.template.code},
                )
            else:
                try:
                    new = template_import(
                        process=version.template.process,
                        data=data,
                        by_user=request.user,  # type: ignore[arg-type]
                    )
                except DefinitionError as exc:
                    form.add_error("definition", f"{exc.path}: {exc.message}")
                else:
                    messages.success(request, _("Saved as version %(n)s.") % {"n": new.number})
                    return redirect(
                        "admin:questionnaires_questionnairetemplate_change", version.template_id
                    )
        context = {
            **self.admin_site.each_context(request),
            "form": form,
            "title": _("Edit %(template)s (version %(n)s) as a new version")
            % {"template": version.template.name, "n": version.number},
        }
        return render(request, "admin/questionnaires/import.html", context)
