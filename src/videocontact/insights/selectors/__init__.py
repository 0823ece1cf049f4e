"""Reads of the insights dashboards. Every figure is computed here, from the database, for a
scope (the units a user may see) and a period; views and exports only format them."""
