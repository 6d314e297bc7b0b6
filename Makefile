# The front door: `make demo`, `make test`, `make bench`, `make lint`. Each target installs what it needs first
# (Debian packages once, a .venv rebuilt only when pyproject.toml changes), so re-running is quick.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
APT_PACKAGES := godot3 godot3-server xvfb xdotool libgl1-mesa-dri python3-venv chromium
GD_DIRS := godot_project

.PHONY: setup system python demo test test-all lint bench clean

setup: system python

system: $(VENV)/.system-stamp
$(VENV)/.system-stamp:
	@if ! command -v godot3 >/dev/null || ! command -v godot3-server >/dev/null || ! command -v Xvfb >/dev/null \
	    || ! command -v xdotool >/dev/null || ! command -v chromium >/dev/null \
	    || ! dpkg -s libgl1-mesa-dri python3-venv >/dev/null 2>&1; then \
	  echo "Installing Debian packages: $(APT_PACKAGES)"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $(APT_PACKAGES); \
	fi
	@mkdir -p $(VENV) && touch $@

python: $(VENV)/.python-stamp
$(VENV)/.python-stamp: pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[dev]'
	@touch $@

demo: setup
	$(PY) -m avalon.demo

lint: setup
	$(VENV)/bin/ruff check avalon scoring baselines tests examples
	$(VENV)/bin/ruff format --check avalon scoring baselines tests examples
	$(VENV)/bin/mypy
	$(VENV)/bin/gdlint $(GD_DIRS)
	$(VENV)/bin/gdformat --check $(GD_DIRS)
	$(PY) -m avalon.codegen --check
	$(PY) -m avalon.tasks.table --check
	$(PY) -m avalon.tasks.docs write --check

test: lint
	$(PY) -m pytest -q

bench: setup
	$(PY) -m avalon.bench

clean:
	rm -rf out .pytest_cache .mypy_cache .ruff_cache
