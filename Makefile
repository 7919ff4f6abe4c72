# One command to run the app, one to pass the tests. Both set everything up on a fresh machine.
PY ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
APT := $(SUDO) apt-get -o APT::Sandbox::User=root

.PHONY: run test test-fast lint bench train clean classroom

$(BIN)/python:
	$(PY) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

.stamp-run: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

.stamp-dev: requirements-dev.txt .stamp-run
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@

/usr/bin/chromium:
	$(APT) update -qq
	$(APT) install -y -qq chromium fonts-dejavu-core

# Classroom: N Streamlit processes behind nginx on 0.0.0.0:$(CLASS_PORT). `make classroom CODE=xyz REPLICAS=2`
REPLICAS ?= $(shell nproc)
CLASS_PORT ?= 8080
CODE ?= $(CONVLAB_CLASS_CODE)

/usr/sbin/nginx:
	$(APT) update -qq
	$(APT) install -y -qq nginx

classroom: .stamp-run /usr/sbin/nginx
	CONVLAB_CLASS_CODE='$(CODE)' $(BIN)/python -m deploy.classroom --replicas $(REPLICAS) --port $(CLASS_PORT)

run: .stamp-run
	$(BIN)/python -m app.serve app/main.py --server.address localhost --server.port 8501

test: .stamp-dev /usr/bin/chromium /usr/sbin/nginx
	$(BIN)/ruff check .
	$(BIN)/python -m pytest -q

# Unit and AppTest tests only (no browser, no fuzz, nothing marked slow): under 60 s on a quiet machine, aim ~45 s.
test-fast: .stamp-dev
	$(BIN)/python -m pytest -q -m "not slow"

lint: .stamp-dev
	$(BIN)/ruff check .

bench: .stamp-dev /usr/bin/chromium
	$(BIN)/python -m benchmarks

train: .stamp-run
	$(BIN)/python -m models.train

clean:
	rm -rf $(VENV) .stamp-run .stamp-dev
