# Two entry points: `make demo` (the main job on the embedded default) and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: demo test bench clean browser kcat socat

$(BIN)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

demo: $(BIN)/.installed
	$(BIN)/govledger demo

test: $(BIN)/.installed browser kcat socat
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/python -m pytest

# The dashboard's browser test drives Debian's Chromium (and its screenshot wants a CJK
# font); on a CI machine (CI set, root) they are installed when missing; elsewhere the
# test says it is skipped and why.
BROWSER_PACKAGES := chromium fonts-wqy-microhei
browser:
	@{ command -v chromium && fc-list | grep -qi wqy; } >/dev/null 2>&1 || [ -z "$$CI" ] || \
	  [ "$$(id -u)" != 0 ] || apt-get install -y -q $(BROWSER_PACKAGES) >/dev/null 2>&1 || \
	  { apt-get update -q >/dev/null 2>&1 && apt-get install -y -q $(BROWSER_PACKAGES) >/dev/null 2>&1; } || \
	  echo "Chromium could not be installed: the dashboard's browser test will be skipped"

# The kcat test publishes commands with Debian's kcat. Its librdkafka (2.0.2) cannot read the
# embedded broker's ApiVersions answer, so the test runs it on the librdkafka >= 2.2 that the
# confluent-kafka wheel ships (a dev dependency). On a CI machine (CI set, root) kcat is installed
# when missing; elsewhere the test says it is skipped and why, and under CI it fails.
kcat: $(BIN)/.installed
	@command -v kcat >/dev/null 2>&1 || [ -z "$$CI" ] || [ "$$(id -u)" != 0 ] || \
	  apt-get install -y -q kcat >/dev/null 2>&1 || \
	  { apt-get update -q >/dev/null 2>&1 && apt-get install -y -q kcat >/dev/null 2>&1; } || \
	  echo "kcat could not be installed: the kcat test will fail"

# The TLS test puts Debian's socat, terminating TLS with certificates the test makes, in front
# of an embedded broker (which serves no TLS itself). On a CI machine (CI set, root) socat is
# installed when missing; elsewhere the test says it is skipped and why, and under CI it fails.
socat:
	@command -v socat >/dev/null 2>&1 || [ -z "$$CI" ] || [ "$$(id -u)" != 0 ] || \
	  timeout 300 apt-get install -y -q socat >/dev/null 2>&1 || \
	  { timeout 300 apt-get update -q >/dev/null 2>&1 && timeout 300 apt-get install -y -q socat >/dev/null 2>&1; } || \
	  echo "socat could not be installed: the TLS test will fail"

# The benchmarks of the README; the API and latency runs also append a dated JSON line to
# benchmarks/results/bench.jsonl.
bench: $(BIN)/.installed
	$(BIN)/python benchmarks/intake.py
	$(BIN)/python benchmarks/rebuild.py
	$(BIN)/python benchmarks/as_of.py
	$(BIN)/python benchmarks/linkage.py
	$(BIN)/python benchmarks/linkage_clock.py
	$(BIN)/python benchmarks/api.py
	$(BIN)/python benchmarks/latency.py

# Fault drills (kill -9, restarts, poison messages, racing intakes), 100,000 commands each:
# benchmarks/results/drills.json; sizes with ARGS="--commands 20000 --kills 3".
.PHONY: drills
drills: $(BIN)/.installed
	$(BIN)/python -m benchmarks.drills $(ARGS)

clean:
	rm -rf $(VENV) .govledger
