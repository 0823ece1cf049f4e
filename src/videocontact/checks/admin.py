from django.contrib import admin

from videocontact.checks.models import LocationSettings


@admin.register(LocationSettings)
class LocationSettingsAdmin(admin.ModelAdmin):
    list_display = ["process", "keep_coordinates"]
