# Two commands on a fresh machine: `make site` builds the site, `make test` runs the tests.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: site test check schemas golden bench clean serve

$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -c constraints.txt -e '.[test]'
	touch $(STAMP)

site: $(STAMP)
	$(BIN)/dyad build --content content --out site

AXE := node_modules/axe-core/axe.min.js

$(AXE): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error

test: $(STAMP) $(AXE)
	$(BIN)/python -m pytest

check: $(STAMP)
	$(BIN)/dyad check content

serve: $(STAMP)
	$(BIN)/dyad serve

schemas: $(STAMP)
	$(BIN)/dyad schema

bench: $(STAMP)
	$(BIN)/python -m bench.run

golden: $(STAMP)
	DYAD_UPDATE_GOLDEN=1 $(BIN)/python -m pytest tests/render -q

clean:
	rm -rf site $(VENV)

# plotly.js with only the trace types Dyad's charts use (tools/plotly/build.mjs), rebuilt after adding a trace type
# to generator/render/charts.py; the built file is committed, so `make site` needs no npm.
.PHONY: plotly
plotly:
	cd tools/plotly && npm ci --no-audit --no-fund --loglevel=error && node build.mjs
