# Two commands on a fresh clone:
#   make demo   set up .venv and redact the sample reports (samples/)
#   make test   set up .venv and run the test suite
# Setup is idempotent: it does nothing while pyproject.toml and
# requirements/*.txt are unchanged (see scripts/setup-venv).

VENV ?= .venv
PYTEST_ARGS ?= -q

.PHONY: setup demo test bench screenshot clean-demo

setup:
	@VENV=$(VENV) scripts/setup-venv

demo: setup
	@$(VENV)/bin/python scripts/demo.py

test: setup
	@$(VENV)/bin/python -m pytest $(PYTEST_ARGS)

bench: setup
	@$(VENV)/bin/python benchmarks/presidio_compare.py

# docs/review-page.png: the review page in headless Chromium (needs /usr/bin/chromium)
screenshot: setup
	@$(VENV)/bin/python scripts/screenshot-review.py

clean-demo:
	rm -rf demo
