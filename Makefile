# Entraide — two commands on a fresh machine: `make run` and `make test`.
# Everything they need is installed here; nothing is expected to be on the machine beforehand
# except Python 3.11 (and, for `make test`, Debian's apt for Chromium and poppler-utils).
# Python packages come from the lock files in requirements/ (exact versions, with hashes);
# `make upgrade` refreshes them on purpose and runs the tests.

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
CATALOGS := $(wildcard src/entraide/locale/*/LC_MESSAGES/*.po)
SYSTEM_PACKAGES := chromium poppler-utils gettext $(PRINT_PACKAGES)
# WeasyPrint (the printable kit) draws text with Pango; DejaVu covers French and German,
# Noto Color Emoji the emoji people put in titles.
PRINT_PACKAGES := libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core fonts-noto-color-emoji
LOCK_FLAGS := --generate-hashes --python-version 3.11 --python-platform x86_64-manylinux_2_36 --quiet

.PHONY: run serve test install install-test js-test-deps system-deps print-deps messages makemessages lock upgrade clean

run: install print-deps var
	$(BIN)/entraide migrate --noinput
	$(BIN)/entraide load_protocols
	$(BIN)/entraide load_demo
	@echo "Entraide: http://$(HOST):$(PORT)/"
	exec $(BIN)/uvicorn entraide.asgi:application --host $(HOST) --port $(PORT) --no-access-log --lifespan off --ws-max-size 65536 --ws-per-message-deflate false

# Production: several worker processes on PostgreSQL and Redis (see README, "Production").
serve: install print-deps
	$(BIN)/entraide migrate --noinput
	$(BIN)/entraide load_protocols
	exec $(BIN)/entraide serve --host $(HOST) --port $(PORT) $(if $(WORKERS),--workers $(WORKERS))

test: install-test js-test-deps system-deps
	$(BIN)/pytest

install: $(VENV)/.installed

install-test: $(VENV)/.installed-test

# pip, the build backend and babel (hatch_build.py), uv (make upgrade): locked like the rest.
$(VENV)/.installed-build: requirements/build.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements/build.txt
	@touch $@

# Exactly the locked versions (--no-deps: the lock lists every dependency), then the project
# itself; reinstalling recompiles the gettext catalogs (hatch_build.py), hence the .po prerequisites.
$(VENV)/.installed: $(VENV)/.installed-build requirements/run.txt pyproject.toml hatch_build.py $(CATALOGS)
	$(BIN)/python -m pip install --quiet --require-hashes --no-deps -r requirements/run.txt
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation --editable .
	@touch $@

$(VENV)/.installed-test: $(VENV)/.installed requirements/test.txt
	$(BIN)/python -m pip install --quiet --require-hashes --no-deps -r requirements/test.txt
	@touch $@

# axe-core for the accessibility test (tests/browser/test_accessibility.py), from the npm
# registry at the exact version of package-lock.json (integrity-checked), into node_modules/.
# Node.js and npm come from Debian when missing.
js-test-deps: node_modules/.installed

node_modules/.installed: package.json package-lock.json
	@command -v npm >/dev/null || { echo "Installing Debian packages: nodejs npm"; \
		$(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq nodejs npm; }
	npm ci --no-audit --no-fund
	@touch $@

# Re-resolve the lock files after editing pyproject.toml, keeping every pin that still fits.
lock: $(VENV)/.installed-build
	$(BIN)/uv pip compile pyproject.toml --extra test $(LOCK_FLAGS) $(UPGRADE) -o requirements/test.txt
	$(BIN)/uv pip compile pyproject.toml -c requirements/test.txt $(LOCK_FLAGS) -o requirements/run.txt
	$(BIN)/uv pip compile requirements/build.in $(LOCK_FLAGS) $(UPGRADE) -o requirements/build.txt

# Move every pin to the newest version pyproject.toml allows, reinstall, run every test.
# Commit the new requirements/*.txt only when the tests pass.
upgrade:
	$(MAKE) lock UPGRADE=--upgrade
	rm -f $(VENV)/.installed-build $(VENV)/.installed $(VENV)/.installed-test
	$(MAKE) test

# Debian's Chromium (never a browser downloaded by a test tool), pdftotext/pdftoppm, msgfmt.
system-deps: print-deps
	@missing=""; \
	command -v chromium >/dev/null || missing="$$missing chromium"; \
	command -v pdftotext >/dev/null || missing="$$missing poppler-utils"; \
	command -v msgfmt >/dev/null || missing="$$missing gettext"; \
	if [ -n "$$missing" ]; then \
		echo "Installing Debian packages:$$missing"; \
		$(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing; \
	fi

# Pango and fonts for WeasyPrint (PDF kit), needed by `make run` too.
print-deps:
	@missing=""; \
	for package in $(PRINT_PACKAGES); do \
		dpkg-query -W -f='$${Status}' $$package 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$package"; \
	done; \
	if [ -n "$$missing" ]; then \
		echo "Installing Debian packages:$$missing"; \
		$(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing; \
	fi

var:
	mkdir -p var

# Re-extract the interface strings after editing code or templates, then translate the .po files.
makemessages: install system-deps
	cd src/entraide && ../../$(BIN)/entraide makemessages --no-obsolete --no-location -l fr -l de -l en

messages: install
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation --editable .  # the build hook compiles the catalogs

clean:
	rm -rf $(VENV) var .pytest_cache test-artifacts node_modules
