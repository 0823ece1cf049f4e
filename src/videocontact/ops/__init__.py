"""Operating the service: Prometheus metrics and the readiness check. Top layer: it reads every app."""
