"""The pages people see — the resident's way through a visit and the caseworker's visit pages —
composed from every app below (visits, rooms, the feature apps, reports). Top layer."""
