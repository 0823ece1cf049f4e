"""Signals the room sends to the apps above it (they subscribe in their AppConfig.ready())."""

from django.dispatch import Signal

# A peer reported that a command failed: command_id (str), participant (the reporter), code (str).
# Sent in the database thread; evidence closes the photo request whose id is the command id.
command_failed = Signal()
