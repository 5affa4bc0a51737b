# The two commands of the README:
#   make demo   set up everything on the embedded PostgreSQL and run the main job
#   make test   run every test (on $PGHOST when set, else on the embedded server)
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp

.PHONY: demo test install build clean-warehouse

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	@touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	$(BIN)/insights warehouse up
	$(BIN)/insights load-sample
	$(BIN)/insights build
	@echo
	@echo "Raw data in schema raw, marts in schema marts. Connect with:"
	@$(BIN)/insights warehouse env

test: $(STAMP)
	$(BIN)/python -m pytest $(PYTEST_ARGS)

clean-warehouse:
	-$(BIN)/insights warehouse down
	rm -rf .warehouse
