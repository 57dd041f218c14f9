# Atlas: `make run` and `make test` set everything up from a fresh clone.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 5000
HTMX_VERSION := 2.0.8
HTMX_SHA384 := /TgkGk7p307TH7EXJDuUlgG3Ce1UVolAOFopFekQkkXihi5u/6OCvVKyz1W+idaz
HTMX := static/vendor/htmx.min.js
CATALOGS := $(patsubst %.po,%.mo,$(wildcard translations/*/LC_MESSAGES/messages.po))
DB := instance/atlas.db

.PHONY: setup run serve serve-nginx test bench build books check-data catalogs translations tools audit clean

setup: $(BIN)/atlas $(HTMX) $(CATALOGS) $(DB)

$(BIN)/atlas: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

# The pinned htmx, taken from the npm registry and checked against its SHA-384 (the same hash as the SRI).
$(HTMX):
	mkdir -p static/vendor
	tmp=$$(mktemp -d) && cd $$tmp && npm pack --silent htmx.org@$(HTMX_VERSION) >/dev/null \
	  && tar -xzf htmx.org-$(HTMX_VERSION).tgz package/dist/htmx.min.js \
	  && cp package/dist/htmx.min.js $(CURDIR)/$(HTMX).part && rm -rf $$tmp
	$(PYTHON) -c "import base64,hashlib,sys; d=base64.b64encode(hashlib.sha384(open(sys.argv[1],'rb').read()).digest()).decode(); sys.exit(0 if d==sys.argv[2] else 'htmx checksum mismatch: '+d)" $(HTMX).part $(HTMX_SHA384)
	mv $(HTMX).part $(HTMX)

translations/%/LC_MESSAGES/messages.mo: translations/%/LC_MESSAGES/messages.po $(BIN)/atlas
	$(BIN)/pybabel compile --statistics -i $< -o $@

catalogs: $(CATALOGS)

# Any change to data/ or to the code that writes the database rebuilds it (templates only render).
$(DB): $(BIN)/atlas $(shell find data atlas -type f -name '*.py' -o -type f -path 'data/*' 2>/dev/null)
	$(BIN)/atlas build

build: $(BIN)/atlas
	$(BIN)/atlas build

# The printed atlas of the current build, in the foreground (build and publish start it in the background).
books: setup
	$(BIN)/atlas book

check-data: $(BIN)/atlas
	$(BIN)/atlas check-data

run: setup
	$(BIN)/atlas run --host 127.0.0.1 --port $(PORT)

serve: setup
	PORT=$(PORT) $(BIN)/atlas serve

# Debian's nginx on PORT in front of gunicorn on a unix socket (config, pid and logs in instance/nginx/).
# MICRO_CACHE=1 also keeps public answers in nginx for their max-age (deploy/nginx.conf).
serve-nginx: setup tools
	PORT=$(PORT) MICRO_CACHE=$(MICRO_CACHE) $(BIN)/python deploy/serve.py

# Debian's packages the tests drive: Chromium (through Playwright), the wrk load generator and nginx;
# and what the printed atlas needs: Pango for WeasyPrint, fonts with every Kazakh letter, poppler's tools.
TOOLS := chromium wrk nginx
PACKAGES := libpango-1.0-0 libpangoft2-1.0-0 fonts-noto-core fonts-dejavu-core poppler-utils
tools:
	@missing=""; for tool in $(TOOLS); do command -v $$tool >/dev/null 2>&1 || missing="$$missing $$tool"; done; \
	for package in $(PACKAGES); do dpkg-query -W -f='$${Status}' $$package 2>/dev/null | grep -q "ok installed" \
	  || missing="$$missing $$package"; done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	  else echo "Missing:$$missing (sudo apt-get install$$missing); the tests that need them are skipped"; fi; fi

test: setup tools
	$(BIN)/pytest

bench: setup tools
	$(BIN)/pip install --quiet -e '.[bench]'
	$(BIN)/python bench/run.py

# Lighthouse (mobile settings) on the main page types through the production server.
LIGHTHOUSE := bench/node_modules/.bin/lighthouse
$(LIGHTHOUSE):
	npm install --silent --no-audit --no-fund --no-save --prefix bench -E lighthouse@12.2.3

audit: setup tools $(LIGHTHOUSE)
	CHROME_PATH=$$(command -v chromium) $(BIN)/python bench/audit.py

# For editors of the UI text: extract new strings and merge them into both catalogs.
translations: $(BIN)/atlas
	$(BIN)/pybabel extract --no-location --sort-output -F babel.cfg -k lazy_gettext -o translations/messages.pot .
	$(BIN)/pybabel update --no-fuzzy-matching --ignore-obsolete -i translations/messages.pot -d translations

clean:
	rm -rf $(VENV) instance static/vendor translations/*/LC_MESSAGES/*.mo
