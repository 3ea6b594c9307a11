# Ionics — build, test and run.
#
#   make run    install missing system packages, build in release, run the default device
#   make test   install missing system packages, build and run the whole test suite, then
#               check-output: a run file read by xarray/h5netcdf in a venv (.build/venv) and
#               drawn by scripts/plot.py (its PNGs must appear), skipped with a message when
#               python3, its venv module or PyPI is unavailable
#   make bench  performance benchmarks against a baseline commit (not part of the tests);
#               options via BENCH="…" (scripts/bench.sh --help), baseline via BASE=<ref>
#   make install PREFIX=/usr/local
#               the tool in PREFIX/bin, materials, devices and examples in PREFIX/share/ionics

SWIFT    ?= swift
CONFIG   ?= configs/default.json
OUTPUT   ?= results/default.h5
PREFIX   ?= /usr/local
PACKAGES := libhdf5-dev liblapacke-dev libopenblas-dev libsuitesparse-dev pkg-config
BIN      := .build/release/ionics
VENV     ?= .build/venv
CHECK_H5 := .build/check-output/run.h5
# A 2 × 2 sweep (scripts/check-sweep.json, a few seconds) collected and opened by xarray.
CHECK_SWEEP := .build/check-output/sweep
# The tests and the tool share one release build (no @testable imports anywhere).
RELEASE  := -c release

.PHONY: all deps build test check-output run verify bench install clean

all: build

deps:
	@missing=""; \
	for p in $(PACKAGES); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" -eq 0 ]; then SUDO=""; \
	  elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then SUDO="sudo"; \
	  else \
	    echo "error: missing system packages:$$missing" >&2; \
	    echo "       install them as root:  apt-get update && apt-get install -y$$missing" >&2; \
	    exit 1; \
	  fi; \
	  echo "Installing system packages:$$missing"; \
	  $$SUDO apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends $$missing; \
	fi

build: deps
	$(SWIFT) build $(RELEASE)

test: deps
	OPENBLAS_NUM_THREADS=1 $(SWIFT) test $(RELEASE)
	@$(MAKE) --no-print-directory check-output

# The run file as other tools see it: scripts/check_output.py opens every group with
# xarray + h5netcdf (named dimensions, coordinates, units); then scripts/plot.py must
# draw it (a smoke check: the profile, terminal and LTP/LTD PNGs exist and are not empty); then a 2 × 2 sweep is
# collected and scripts/check_sweep.py opens the table as an N-dimensional dataset. Needs python3 with venv and
# PyPI for scripts/requirements.txt; without them it says so and is skipped, not failed.
check-output: build
	@if ! command -v python3 >/dev/null 2>&1; then \
	  echo "check-output: SKIPPED - python3 is not installed"; exit 0; \
	fi; \
	if [ ! -x $(VENV)/bin/python ]; then \
	  python3 -m venv $(VENV) >/dev/null 2>&1 || { rm -rf $(VENV); \
	    echo "check-output: SKIPPED - python3 -m venv failed (Debian: apt-get install python3-venv)"; exit 0; }; \
	fi; \
	$(VENV)/bin/pip install -q --disable-pip-version-check -r scripts/requirements.txt || { \
	  echo "check-output: SKIPPED - pip could not install scripts/requirements.txt (no access to PyPI?)"; exit 0; }; \
	mkdir -p $(dir $(CHECK_H5)); \
	OPENBLAS_NUM_THREADS=1 $(BIN) run $(CONFIG) -o $(CHECK_H5) --force --set protocol.pulses=5 \
	  >$(CHECK_H5).log 2>&1 || { cat $(CHECK_H5).log; exit 1; }; \
	$(VENV)/bin/python scripts/check_output.py $(CHECK_H5) && \
	rm -rf $(dir $(CHECK_H5))plots && \
	$(VENV)/bin/python scripts/plot.py $(CHECK_H5) -o $(dir $(CHECK_H5))plots && \
	for p in profiles terminals ltp-ltd; do \
	  test -s $(dir $(CHECK_H5))plots/run-$$p.png || { echo "check-output: scripts/plot.py wrote no run-$$p.png"; exit 1; }; \
	done && echo "check-output: scripts/plot.py wrote its PNGs in $(dir $(CHECK_H5))plots" && \
	rm -rf $(CHECK_SWEEP) && \
	OPENBLAS_NUM_THREADS=1 $(BIN) sweep scripts/check-sweep.json -o $(CHECK_SWEEP) --jobs 2 >$(CHECK_SWEEP).log 2>&1 && \
	$(BIN) collect $(CHECK_SWEEP) -o $(CHECK_SWEEP)/table >>$(CHECK_SWEEP).log 2>&1 || { cat $(CHECK_SWEEP).log 2>/dev/null; exit 1; }; \
	$(VENV)/bin/python scripts/check_sweep.py $(CHECK_SWEEP)/table.h5 layers_1_thickness current

run: build
	@mkdir -p $(dir $(OUTPUT))
	OPENBLAS_NUM_THREADS=1 $(BIN) run $(CONFIG) -o $(OUTPUT) --force

verify: build
	OPENBLAS_NUM_THREADS=1 $(BIN) verify -o results/verification.h5 --force

bench: deps
	OPENBLAS_NUM_THREADS=1 scripts/bench.sh $(BENCH)

# The materials go where the tool looks for them (../share/ionics/materials from bin/).
install: build
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/ionics/materials \
	  $(DESTDIR)$(PREFIX)/share/ionics/devices $(DESTDIR)$(PREFIX)/share/ionics/examples
	install -m 755 $(BIN) $(DESTDIR)$(PREFIX)/bin/ionics
	install -m 644 configs/materials/*.json $(DESTDIR)$(PREFIX)/share/ionics/materials/
	install -m 644 configs/devices/*.json $(DESTDIR)$(PREFIX)/share/ionics/devices/
	install -m 644 configs/examples/*.json $(DESTDIR)$(PREFIX)/share/ionics/examples/
	install -d $(DESTDIR)$(PREFIX)/share/ionics/examples/data
	install -m 644 configs/examples/data/*.csv $(DESTDIR)$(PREFIX)/share/ionics/examples/data/

clean:
	rm -rf .build results
