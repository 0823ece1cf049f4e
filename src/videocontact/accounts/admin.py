from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from videocontact.accounts.models import Membership, Organisation, Process, Unit, User


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0


@admin.register(User)
class StaffUserAdmin(UserAdmin):
    inlines = [MembershipInline]


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "display_name_policy"]


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ["department", "name", "organisation"]


@admin.register(Process)
class ProcessAdmin(admin.ModelAdmin):
    list_display = ["name", "unit", "retention_days"]
