# Impact Jeunes — the two commands a newcomer needs: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
MANAGE := $(PY) manage.py
PORT ?= 8000
WORKERS ?= 3
# The site's public address: every link in e-mails, feeds, calendars, posters and the admin is made
# from it (and the Wagtail Site record is set to it by load_demo). Open the site at this address.
SITE_URL ?= http://127.0.0.1:$(PORT)
# make serve: a secret key generated once and kept (git-ignored), so what was signed before a
# restart (cancel links mailed yesterday, invitations, sessions) still verifies after it;
# and the e-mails it sends, one file each, in a folder.
SERVE_SECRET_KEY_FILE ?= var/serve-secret-key
SERVE_MAIL_DIR ?= var/mail

.PHONY: run test lint check pytest browser-test serve bench install install-dev clean

$(BIN)/activate:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is required (found %s)" % sys.version.split()[0])'
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(VENV)/.installed: requirements.txt $(BIN)/activate
	$(PY) -m pip install --quiet -r requirements.txt
	@touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt $(BIN)/activate
	$(PY) -m pip install --quiet -r requirements-dev.txt
	@touch $@ $(VENV)/.installed

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

run serve: export SITE_URL := $(SITE_URL)

## make run: the site with demo content at http://127.0.0.1:8000 (SQLite, development settings, PORT=8001 for
## another port); e-mails are printed in the terminal
run: install
	$(MANAGE) compile_translations
	$(MANAGE) migrate --noinput
	$(MANAGE) load_demo
	$(MANAGE) ensure_local_admin
	$(MANAGE) runserver 127.0.0.1:$(PORT)

## make test: lint, Django checks, migrations check, then the whole pytest suite
test: install-dev lint check pytest

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/djhtml --check templates

check: install-dev
	DJANGO_SETTINGS_MODULE=site_project.settings.test $(MANAGE) compile_translations
	DJANGO_SETTINGS_MODULE=site_project.settings.test $(MANAGE) check --fail-level WARNING
	DJANGO_SETTINGS_MODULE=site_project.settings.test $(MANAGE) makemigrations --check --dry-run
	@# A production configuration as deployed (README): REDIS_URL is part of it. The check only reads
	@# the settings, it does not connect; without it, home.W003 rightly warns.
	DJANGO_SETTINGS_MODULE=site_project.settings.production \
	DJANGO_SECRET_KEY=check-deploy-$$(od -An -N24 -tx1 /dev/urandom | tr -d ' \n') \
	SITE_URL=https://impact-jeunes.fr \
	REDIS_URL=redis://127.0.0.1:6379/0 \
	$(MANAGE) check --deploy --fail-level WARNING

pytest: install-dev
	$(BIN)/pytest

## make serve: the same site under gunicorn, production settings, plain HTTP on 127.0.0.1:$(PORT), with the
## mail worker beside it; e-mails are written as files into $(SERVE_MAIL_DIR)/
SERVE_ENV = DJANGO_SETTINGS_MODULE=site_project.settings.production \
	DJANGO_SECRET_KEY="$${DJANGO_SECRET_KEY:-$$(cat $(SERVE_SECRET_KEY_FILE))}" \
	DJANGO_ALLOWED_HOSTS=127.0.0.1,localhost \
	DJANGO_SECURE_SSL_REDIRECT=false \
	DJANGO_SERVE_MEDIA=true \
	EMAIL_DELIVERY_BACKEND=django.core.mail.backends.filebased.EmailBackend \
	EMAIL_FILE_PATH="$(abspath $(SERVE_MAIL_DIR))"

serve: install | $(SERVE_SECRET_KEY_FILE)
	$(MANAGE) compile_translations
	$(MANAGE) migrate --noinput
	$(SERVE_ENV) $(MANAGE) collectstatic --noinput --verbosity 0
	$(MANAGE) load_demo
	$(MANAGE) ensure_local_admin
	@echo "Site : $(SITE_URL)/ — e-mails envoyés : un fichier chacun dans $(SERVE_MAIL_DIR)/"
	$(SERVE_ENV) sh -c '$(MANAGE) db_worker --backend mail & worker=$$!; trap "kill $$worker" EXIT INT TERM; \
		$(BIN)/gunicorn site_project.wsgi:application --bind 127.0.0.1:$(PORT) --workers $(WORKERS) --access-logfile -'

$(SERVE_SECRET_KEY_FILE):
	@mkdir -p $(@D)
	@umask 077 && $(PYTHON) -c 'import secrets; print(secrets.token_urlsafe(50))' > $@.tmp && mv $@.tmp $@
	@echo "Clé secrète de make serve créée dans $@ ; elle servira à chaque lancement."

## make bench: issue #6 budgets (first-visit weight, Lighthouse mobile, throughput ratio) — a benchmark, not a test
## BENCH_ARGS passes options to manage.py bench, e.g. make bench BENCH_ARGS="--skip-lighthouse --seconds 10"
.PHONY: bench-install
bench: install-dev node_modules/.installed
	$(MANAGE) compile_translations
	$(MANAGE) migrate --noinput -v0
	$(MANAGE) load_demo
	$(MANAGE) bench $(BENCH_ARGS)

## make bench-install: Lighthouse, pinned in package-lock.json (needs Node.js 18.16+ and npm)
bench-install: node_modules/.installed

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund
	@touch $@

clean:
	rm -rf $(VENV) static .pytest_cache .ruff_cache node_modules bench-results
