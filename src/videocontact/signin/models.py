"""Staff sign-in: who is signed in where, second factors, and how SSO groups map to roles."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from videocontact.accounts.models import Organisation, Role, Unit


class SignInMethod(models.TextChoices):
    PASSWORD = "password", _("Password")
    PASSWORD_TOTP = "password+totp", _("Password and authenticator app")
    PASSWORD_WEBAUTHN = "password+webauthn", _("Password and passkey")
    PASSWORD_RECOVERY = "password+recovery", _("Password and recovery code")
    OIDC = "oidc", _("Single sign-on")


class StaffSession(models.Model):
    """One signed-in browser of a staff member, listed on 'My sessions' so it can be ended.

    The Django session itself lives in the session store; this row mirrors it by key."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="staff_sessions",
        verbose_name=_("user"),
    )
    session_key = models.CharField(max_length=64, unique=True, verbose_name=_("session key"))
    method = models.CharField(max_length=20, choices=SignInMethod.choices, verbose_name=_("method"))
    user_agent = models.CharField(max_length=300, blank=True, verbose_name=_("browser"))
    ip_prefix = models.CharField(
        max_length=64,
        blank=True,
        help_text=_("The network only, never the full address."),
        verbose_name=_("network (IP prefix)"),
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))
    last_seen_at = models.DateTimeField(verbose_name=_("last seen at"))

    class Meta:
        ordering = ["-last_seen_at"]
        verbose_name = _("staff session")
        verbose_name_plural = _("staff sessions")

    def __str__(self) -> str:
        return f"{self.user} · {self.method} · {self.created_at:%Y-%m-%d %H:%M}"


class OrganisationSignInPolicy(models.Model):
    """Per organisation: must its staff use a second factor with a local password?
    Without a row, STAFF_SECOND_FACTOR_DEFAULT decides (on in production)."""

    organisation = models.OneToOneField(
        Organisation,
        on_delete=models.CASCADE,
        related_name="signin_policy",
        verbose_name=_("organisation"),
    )
    require_second_factor = models.BooleanField(
        _("require a second factor for local accounts"), default=True
    )

    class Meta:
        verbose_name = _("sign-in policy")
        verbose_name_plural = _("sign-in policies")

    def __str__(self) -> str:
        return str(self.organisation)


class WebAuthnCredential(models.Model):
    """A passkey or security key registered by a staff member (WebAuthn)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="webauthn_credentials",
        verbose_name=_("user"),
    )
    name = models.CharField(_("name"), max_length=80)
    credential_id = models.BinaryField(unique=True, verbose_name=_("credential ID"))
    public_key = models.BinaryField(verbose_name=_("public key"))
    sign_count = models.PositiveBigIntegerField(default=0, verbose_name=_("times used"))
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))
    last_used_at = models.DateTimeField(null=True, blank=True, verbose_name=_("last used at"))

    class Meta:
        verbose_name = _("passkey")
        verbose_name_plural = _("passkeys")

    def __str__(self) -> str:
        return f"{self.user} · {self.name}"


class GroupRoleMapping(models.Model):
    """A group of the municipality's identity provider (the OIDC groups claim) gives a role
    in a unit. Memberships of a single sign-on user follow these rows at every sign-in."""

    group = models.CharField(_("group in the identity provider"), max_length=200, db_index=True)
    unit = models.ForeignKey(
        Unit, on_delete=models.CASCADE, related_name="group_mappings", verbose_name=_("team")
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)

    class Meta:
        unique_together = [("group", "unit", "role")]
        verbose_name = _("group-to-role mapping")
        verbose_name_plural = _("group-to-role mappings")

    def __str__(self) -> str:
        return f"{self.group} → {self.unit} · {self.get_role_display()}"


class SsoIdentity(models.Model):
    """Links a staff user to the subject ('sub') of the identity provider, so a renamed
    e-mail address or username never leads to a second account."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="sso_identity",
        verbose_name=_("user"),
    )
    issuer = models.CharField(max_length=300, verbose_name=_("issuer"))
    subject = models.CharField(max_length=255, verbose_name=_("subject"))
    last_groups = models.JSONField(default=list, blank=True, verbose_name=_("last groups"))
    last_sign_in_at = models.DateTimeField(
        null=True, blank=True, verbose_name=_("last signed in at")
    )

    class Meta:
        unique_together = [("issuer", "subject")]
        verbose_name = _("SSO identity")
        verbose_name_plural = _("SSO identities")

    def __str__(self) -> str:
        return f"{self.user} · {self.subject}"
