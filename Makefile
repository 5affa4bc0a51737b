# The two commands of the README:
#   make demo   set up everything on the embedded PostgreSQL and run the main job
#   make test   run every test (on $PGHOST when set, else on the embedded server)
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
PROMTOOL := $(BIN)/promtool
PORT   ?= 8000
DEMO_STORE ?= demo-fashion-us

.PHONY: demo test install clean-warehouse frontend

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev,spark]"
	@touch $(STAMP)

# promtool checks and tests the alert rules (ops/prometheus): unpacked from Debian's package
$(PROMTOOL): | $(STAMP)
	ops/prometheus/install-promtool.sh $(abspath $(PROMTOOL))

install: $(STAMP) $(PROMTOOL)

demo: $(STAMP)
	$(BIN)/insights warehouse up
	$(BIN)/insights load-sample
	$(BIN)/insights build
	$(BIN)/insights validate
	$(BIN)/insights forecast
	$(BIN)/insights budget-curves
	@KEY=$$($(BIN)/insights keys create --store $(DEMO_STORE) --name demo | tail -n 1) && \
	echo && echo "Marts are in schema marts; connect with: eval \"\$$($(BIN)/insights warehouse env)\"" && \
	echo "The API is starting on http://127.0.0.1:$(PORT) (Ctrl-C stops it). Try:" && \
	echo "  curl -s -H 'Authorization: Bearer $$KEY' 'http://127.0.0.1:$(PORT)/api/marketing/analytics/dashboard'" && \
	echo "Dashboard: http://127.0.0.1:$(PORT)/  (sign in with the key above)" && \
	echo && exec $(BIN)/insights serve --port $(PORT)

# two workers (a file's tests stay on one worker, so its module fixtures are built once): most tests
# wait on dbt and PostgreSQL, and CI must stay under 25 minutes. Files go out in collection order
# (pytests/conftest.py puts the slowest first), not xdist's most-tests-first.
TEST_WORKERS ?= 2
test: install
	$(BIN)/python -m pytest -n $(TEST_WORKERS) --dist loadfile --no-loadscope-reorder $(PYTEST_ARGS)

# rebuilds the dashboard page (frontend/ → insight_service/api/page/static/, committed); needs Node.js 20+
frontend:
	cd frontend && npm ci && npm run build

clean-warehouse:
	-$(BIN)/insights warehouse down
	rm -rf .warehouse
