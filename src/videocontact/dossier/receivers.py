"""Reacts to other apps' signals (a finished report starts its exports)."""
