from django.contrib import admin
from django.shortcuts import redirect
from django.urls import include, path

from videocontact.accounts import views as accounts_views
from videocontact.core import views as core_views
from videocontact.ops import metrics as ops_metrics
from videocontact.ops import readiness as ops_readiness
from videocontact.portal import client_errors
from videocontact.portal.urls import privacy_patterns, resident_patterns, staff_patterns
from videocontact.portal.views_statements import statement
from videocontact.signin import views as signin_views
from videocontact.signin import views_oidc as signin_oidc_views

urlpatterns = [
    path("", lambda request: redirect("staff:dashboard"), name="home"),
    path("", include(resident_patterns)),
    path("staff/", include(staff_patterns)),
    path("staff/privacy/", include(privacy_patterns)),
    path("", include("videocontact.evidence.urls")),
    path("", include("videocontact.reports.urls")),
    path("", include("videocontact.dossier.urls")),
    path("", include("videocontact.notifications.urls")),
    path("", include("videocontact.guidance.urls")),
    path("", include("videocontact.language.urls")),
    path("", include("videocontact.insights.urls")),
    path("accounts/login/", signin_views.SignInView.as_view(), name="login"),
    # The admin signs in through the same throttled, two-step sign-in.
    path("admin/login/", signin_views.SignInView.as_view()),
    path("accounts/", include("videocontact.signin.urls")),
    path("", include("videocontact.portal.urls_builder")),
    path("o/<slug:slug>/<slug:kind>", statement, name="statement"),
    path("accounts/logout/", signin_oidc_views.sign_out, name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("theme/<slug:slug>.css", accounts_views.theme_css, name="theme"),
    path(
        "logo/<slug:slug>/<str:digest>.png",
        accounts_views.organisation_logo,
        name="organisation_logo",
    ),
    path("healthz", core_views.healthz, name="healthz"),
    path("client-errors", client_errors.client_error, name="client_errors"),
    path("metrics", ops_metrics.metrics, name="metrics"),
    path("readyz", ops_readiness.readyz, name="readyz"),
    path("admin/", admin.site.urls),
    path("api/", include("videocontact.api.urls")),
]

handler404 = "videocontact.core.views.not_found"
handler500 = "videocontact.core.views.server_error"
