"""Demo data and the `demo` command: a municipality, its staff and a visit, from every app. Top layer."""
