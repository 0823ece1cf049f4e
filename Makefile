# Two commands on a fresh machine: `make run` (demo, embedded defaults) and `make test` (everything).
PYTHON ?= python3.11
VENV   ?= .venv
PY     := $(VENV)/bin/python
export PYTHONPATH := src

# `make test` uses PostgreSQL and Redis where this machine has them (PostgreSQL on its unix socket,
# Redis on 127.0.0.1:6379), else the embedded SQLite and in-memory channel layer. Set DATABASE_URL
# and REDIS_URL to choose, or TEST_SERVICES=embedded to use the embedded ones.
PG_SOCKET_DIR ?= /var/run/postgresql
ifneq ($(TEST_SERVICES),embedded)
ifeq ($(origin DATABASE_URL),undefined)
ifneq ($(wildcard $(PG_SOCKET_DIR)/.s.PGSQL.5432),)
export DATABASE_URL := postgres://postgres@/videocontact_test?host=$(PG_SOCKET_DIR)
endif
endif
ifeq ($(origin REDIS_URL),undefined)
ifeq ($(shell redis-cli -h 127.0.0.1 -p 6379 ping 2>/dev/null),PONG)
export REDIS_URL := redis://127.0.0.1:6379/0
endif
endif
endif

.PHONY: run test venv deps test-deps node-deps messages lint unit jstest e2e bench clean openapi

# The venv holds exactly what requirements-test.lock pins (runtime + test tools, with hashes), then
# the project itself without dependencies. Regenerate the lock after changing pyproject.toml:
#   pip-compile --extra test --generate-hashes --allow-unsafe --strip-extras --no-emit-index-url \
#     --no-emit-find-links -c requirements.lock -o requirements-test.lock pyproject.toml
# (pip-tools in a venv of its own; requirements.lock, the runtime lock, comes first: see
# docs/deployment.md.)
$(VENV)/.installed: pyproject.toml requirements.lock requirements-test.lock
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q --require-hashes -r requirements-test.lock
	$(PY) -m pip install -q --no-deps -e .
	touch $@

venv: $(VENV)/.installed

messages: venv
	$(PY) scripts/compile_messages.py

run: venv messages
	DJANGO_SETTINGS_MODULE=videocontact.conf.dev $(PY) manage.py migrate --noinput -v0
	DJANGO_SETTINGS_MODULE=videocontact.conf.dev $(PY) manage.py collectstatic --noinput -v0
	DJANGO_SETTINGS_MODULE=videocontact.conf.dev $(PY) manage.py demo --base-url http://localhost:8000
	DJANGO_SETTINGS_MODULE=videocontact.conf.dev $(VENV)/bin/uvicorn videocontact.asgi:application --host 127.0.0.1 --port 8000 --no-server-header --lifespan off

# System packages the browser tests need (Debian). Installed only when missing and we are root.
# npm: Debian packages it apart from nodejs; a nodejs from elsewhere (NodeSource) brings its own.
SYSTEM_PACKAGES := nodejs chromium coturn redis-server ffmpeg iproute2 poppler-utils fonts-noto-core fonts-dejavu-core libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 espeak-ng apertium apertium-eng-spa apertium-afr-nld pocketsphinx-testdata fonts-sil-abyssinica
test-deps: venv messages
	@missing=""; for p in $(SYSTEM_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	command -v npm >/dev/null 2>&1 || missing="$$missing npm"; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
	  else echo "missing Debian packages:$$missing (run as root or install them)"; exit 1; fi; fi
	@$(MAKE) --no-print-directory node-deps

# The single sign-on tests run a real OpenID Connect provider (oidc-provider from npm, tests/oidc).
node-deps:
	@[ -d tests/oidc/node_modules/oidc-provider ] || (cd tests/oidc && npm ci --no-audit --no-fund --silent)

lint: venv node_modules/.installed
	$(VENV)/bin/ruff check src tests bench scripts clients
	$(VENV)/bin/ruff format --check src tests bench scripts clients
	env -u DATABASE_URL $(PY) manage.py makemigrations --check --dry-run -v0
	$(VENV)/bin/lint-imports --no-cache
	$(VENV)/bin/mypy src
	node_modules/.bin/eslint --max-warnings 0 .
	node_modules/.bin/tsc -p tsconfig.json

unit: venv messages node-deps
	@echo "unit tests on $${DATABASE_URL:-SQLite} with $${REDIS_URL:-the in-memory channel layer}"
	$(VENV)/bin/pytest -m "not e2e" $(PYTEST_ARGS)

# Unit tests of the browser modules (plain ES modules, no bundler) with Node's own test runner.
# The dev dependencies (pinned in package-lock.json): fast-check (property-based tests), and
# ESLint and TypeScript for `make lint` (eslint.config.js; tsconfig.json type-checks the JSDoc
# types of the browser modules, `checkJs`, nothing emitted).
node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --silent
	touch $@

jstest: node_modules/.installed
	node --test tests/js/

# Browser tests run with the server inside a loopback-only network namespace (scripts/e2e starts a
# private Redis there when REDIS_URL is set; PostgreSQL is reached through its unix socket).
e2e: test-deps
	VENV=$(VENV) scripts/netns-run scripts/e2e $(PYTEST_ARGS)

test: test-deps lint jstest unit e2e

# The committed OpenAPI schema of the REST API (tests/api/test_schema.py checks it is current).
openapi: venv
	DJANGO_SETTINGS_MODULE=videocontact.conf.test $(PY) manage.py spectacular --validate --fail-on-warn --file docs/openapi/v1.yaml

bench: test-deps
	scripts/netns-run $(PY) bench/call_setup.py

clean:
	rm -rf $(VENV) var staticfiles .pytest_cache node_modules
