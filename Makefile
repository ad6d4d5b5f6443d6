# Both targets build .venv themselves: a fresh clone needs only Python 3.11+ and make.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test build clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

demo: $(STAMP)
	@for submission in examples/submissions/*/; do $(BIN)/tensorkata grade "$$submission" || exit 1; done

test: $(STAMP)
	$(BIN)/python -m pytest -q -n 2 --dist worksteal --durations=20

build: $(STAMP)
	$(BIN)/tensorkata build

clean:
	rm -rf $(VENV)
