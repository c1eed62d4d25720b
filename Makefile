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

# The dashboard's browser test drives Debian's Chromium (and its screenshot wants a CJK
# font); on a CI machine (CI set, root) they are installed when missing; elsewhere the
# test says it is skipped and why.
BROWSER_PACKAGES := chromium fonts-wqy-microhei
browser:
	@{ command -v chromium && fc-list | grep -qi wqy; } >/dev/null 2>&1 || [ -z "$$CI" ] || \
	  [ "$$(id -u)" != 0 ] || apt-get install -y -q $(BROWSER_PACKAGES) >/dev/null 2>&1 || \
	  { apt-get update -q >/dev/null 2>&1 && apt-get install -y -q $(BROWSER_PACKAGES) >/dev/null 2>&1; } || \
	  echo "Chromium could not be installed: the dashboard's browser test will be skipped"

clean:
	rm -rf $(VENV) .govledger
