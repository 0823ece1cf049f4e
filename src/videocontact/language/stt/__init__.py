"""Speech-to-text: installed models (catalog), the engine interface (engine) and the worker
processes that run recognition outside the ASGI event loop (workers)."""
