# Entraide — two commands on a fresh machine: `make run` and `make test`.
# Everything they need is installed here; nothing is expected to be on the machine beforehand
# except Python 3.11 (and, for `make test`, Debian's apt for Chromium and poppler-utils).

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
CATALOGS := $(wildcard src/entraide/locale/*/LC_MESSAGES/*.po)
SYSTEM_PACKAGES := chromium poppler-utils gettext $(PRINT_PACKAGES)
# WeasyPrint (the printable kit) draws text with Pango; DejaVu covers French and German.
PRINT_PACKAGES := libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core

.PHONY: run serve test install install-test system-deps print-deps messages makemessages clean

run: install print-deps var
	$(BIN)/entraide migrate --noinput
	$(BIN)/entraide load_protocols
	$(BIN)/entraide load_demo
	@echo "Entraide: http://$(HOST):$(PORT)/"
	exec $(BIN)/uvicorn entraide.asgi:application --host $(HOST) --port $(PORT) --no-access-log --lifespan off --ws-max-size 65536

# Production: several worker processes on PostgreSQL and Redis (see README, "Production").
serve: install print-deps
	$(BIN)/entraide migrate --noinput
	$(BIN)/entraide load_protocols
	exec $(BIN)/entraide serve --host $(HOST) --port $(PORT) $(if $(WORKERS),--workers $(WORKERS))

test: install-test system-deps
	$(BIN)/pytest

install: $(VENV)/.installed

install-test: $(VENV)/.installed-test

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade "pip>=24"

# Reinstalling also recompiles the gettext catalogs (hatch_build.py), hence the .po prerequisites.
$(VENV)/.installed: $(BIN)/python pyproject.toml hatch_build.py $(CATALOGS)
	$(BIN)/python -m pip install --quiet --editable .
	@touch $@

$(VENV)/.installed-test: $(VENV)/.installed
	$(BIN)/python -m pip install --quiet --editable ".[test]"
	@touch $@

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
	$(BIN)/python -c "from pathlib import Path; import hatch_build; hatch_build.compile_catalogs(Path('.'))"

clean:
	rm -rf $(VENV) var .pytest_cache test-artifacts
