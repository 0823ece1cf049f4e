"""Team lead and functional administrator: the dashboard, its exports, the business-case
assumptions; caseworkers: the quick question after the call."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from videocontact.accounts.models import Process
from videocontact.insights import export, services
from videocontact.insights.charts import chart
from videocontact.insights.errors import InsightsError
from videocontact.insights.forms import BusinessCaseForm, PeriodForm, TechCheckForm
from videocontact.insights.selectors.dashboard import Dashboard, dashboard
from videocontact.insights.selectors.money import assumptions_for
from videocontact.insights.selectors.scope import Scope, may_edit_business_case, scope_for
from videocontact.visits.staff_access import staff_user, staff_visit_or_404


def _scope(request: HttpRequest) -> Scope:
    org = request.GET.get("org", "")
    scope = scope_for(staff_user(request), int(org) if org.isdigit() else None)
    if scope is None:
        raise Http404("no dashboard for this user")
    request.organisation = scope.organisation  # type: ignore[attr-defined]
    return scope


def _filtered(request: HttpRequest) -> tuple[Scope, PeriodForm]:
    scope = _scope(request)
    form = PeriodForm(request.GET, units=[(u.pk, str(u)) for u in scope.units])
    return scope, form


def _charts(board: Dashboard) -> dict[str, str]:
    return {
        "adoption": chart(
            "chart-adoption",
            _("Staff invited and staff who used the app, per unit"),
            [a.label.rsplit(" · ", 1)[-1] for a in board.adoption],
            [
                (_("Invited"), [a.invited for a in board.adoption]),
                (_("Used"), [a.used for a in board.adoption]),
            ],
            kind="columns",
        ),
        "trend": chart(
            "chart-trend",
            _("Share of invited staff who used the app, per week"),
            [label for label, _a in board.trend],
            [(_("Used / invited"), [a.percent for _l, a in board.trend])],
            kind="line",
            top=100,
            suffix="%",
        ),
        "weeks": chart(
            "chart-weeks",
            _("Visits held per process, per week"),
            board.week_labels,
            [(name, counts) for name, counts in board.held_per_week],
            kind="columns",
        ),
    }


@login_required
def overview(request: HttpRequest) -> HttpResponse:
    scope, form = _filtered(request)
    if not form.is_valid():
        return render(
            request, "insights/dashboard.html", {"form": form, "scope": scope}, status=400
        )
    board = dashboard(scope.narrowed(form.cleaned_data["unit"]), form.period)
    return render(
        request,
        "insights/dashboard.html",
        {
            "form": form,
            "scope": scope,
            "board": board,
            "charts": _charts(board),
            "query": request.GET.urlencode(),
            "can_edit": may_edit_business_case(staff_user(request), scope.organisation),
        },
    )


@login_required
def download(request: HttpRequest, fmt: str) -> HttpResponse:
    scope, form = _filtered(request)
    if not form.is_valid():
        return HttpResponse(
            "; ".join(str(e) for errors in form.errors.values() for e in errors),
            status=400,
            content_type="text/plain; charset=utf-8",
        )
    board = dashboard(scope.narrowed(form.cleaned_data["unit"]), form.period)
    name = f"insights-{board.period.first}-{board.period.last}"
    if fmt == "xlsx":
        response = HttpResponse(
            export.to_xlsx(board),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
    else:
        response = HttpResponse(export.to_csv(board), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_http_methods(["GET", "POST"])
def business_case(request: HttpRequest, process_id: int) -> HttpResponse:
    scope = _scope(request)
    user = staff_user(request)
    process = (
        Process.objects.select_related("unit")
        .filter(pk=process_id, unit__in=scope.unit_ids)
        .first()
    )
    if process is None or not may_edit_business_case(user, scope.organisation):
        raise Http404("no such process for this user")
    case = assumptions_for([process])[process.pk]
    form = BusinessCaseForm(request.POST or None, instance=case)
    if request.method == "POST":
        if form.is_valid():
            services.business_case_save(process=process, by_user=user, values=form.cleaned_data)
            messages.success(request, _("The assumptions have been saved."))
            return redirect("insights:overview")
        status = 400
    else:
        status = 200
    return render(
        request, "insights/business_case.html", {"form": form, "process": process}, status=status
    )


@login_required
@require_POST
def tech_check(request: HttpRequest, visit_id: uuid.UUID) -> HttpResponse:
    visit = staff_visit_or_404(request, visit_id)
    form = TechCheckForm(request.POST)
    if not form.is_valid():
        return render(
            request, "insights/tech_check_invalid.html", {"form": form, "visit": visit}, status=400
        )
    try:
        services.tech_check_submit(
            visit=visit,
            user=staff_user(request),
            answer=form.cleaned_data["answer"],
            problem=form.cleaned_data["problem"] or "",
        )
    except InsightsError:
        return render(
            request, "insights/tech_check_invalid.html", {"form": form, "visit": visit}, status=409
        )
    messages.success(request, _("Thank you. Your answer has been saved."))
    return redirect("staff:visit", visit_id=visit.id)
