# Two entry points: `make demo` (the main job on the embedded default) and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: demo test bench clean browser

$(BIN)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

demo: $(BIN)/.installed
	$(BIN)/govledger demo

test: $(BIN)/.installed browser
	$(BIN)/python -m pytest

# The dashboard's browser test drives Debian's Chromium; on a CI machine (CI set, root)
# it is installed when missing; elsewhere the test says it is skipped and why.
browser:
	@command -v chromium >/dev/null 2>&1 || [ -z "$$CI" ] || [ "$$(id -u)" != 0 ] || \
	  apt-get install -y -q chromium >/dev/null 2>&1 || \
	  { apt-get update -q >/dev/null 2>&1 && apt-get install -y -q chromium >/dev/null 2>&1; } || \
	  echo "Chromium could not be installed: the dashboard's browser test will be skipped"

bench: $(BIN)/.installed
	$(BIN)/python benchmarks/intake.py
	$(BIN)/python benchmarks/as_of.py
	$(BIN)/python benchmarks/linkage.py

clean:
	rm -rf $(VENV) .govledger
