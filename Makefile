# layernas: `make run` and `make test` do all the set-up on a fresh Debian 12 machine with Swift.

SWIFT        ?= swift
APT_PACKAGES := libsqlite3-dev libopenblas-dev zlib1g-dev pkg-config dataset-fashion-mnist
PREFIX       ?= /usr/local
RUN_DB       ?= runs/fashion-mlp.db
RUN_BUDGET   ?= 80
BIN_DEBUG    := .build/debug/layernas
BIN_RELEASE  := .build/release/layernas
MAN_PAGE     := .build/plugins/GenerateManual/outputs/layernas/layernas.1
SUDO         := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: deps deps-browser build build-debug test test-browser test-slurm test-onnx run bench bench-peers bench-table bench-cnn-table bench-quality kill-loop man install clean migrations

## deps: install the Debian packages that are missing (apt-get update first, only when needed)
deps:
	@missing=""; \
	for package in $(APT_PACKAGES); do \
	  dpkg-query -W -f='$${Status}' $$package 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$package"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "installing Debian packages:$$missing"; \
	  $(SUDO) apt-get update -q && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -q $$missing; \
	fi

## build: release build of the layernas binary
build: deps
	$(SWIFT) build -c release --product layernas

build-debug: deps
	$(SWIFT) build --product layernas

## test: every test; the end-to-end tests run the debug binary as a user would
test: deps build-debug
	LAYERNAS_BIN=$(CURDIR)/$(BIN_DEBUG) $(SWIFT) test

## deps-browser: install Debian's chromium (headless) for the browser tests, when missing
BROWSER_PACKAGES := chromium
deps-browser:
	@missing=""; \
	for package in $(BROWSER_PACKAGES); do \
	  dpkg-query -W -f='$${Status}' $$package 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$package"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "installing Debian packages:$$missing"; \
	  $(SUDO) apt-get update -q && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -q $$missing; \
	fi

## test-browser: render the history, Pareto and learning-curve SVGs and the `serve` dashboard (live page included) in headless Chromium (screenshots not blank, no console errors; dashboard screenshots in .build/test-output/dashboard/)
test-browser: deps deps-browser build-debug
	LAYERNAS_BIN=$(CURDIR)/$(BIN_DEBUG) $(SWIFT) test --filter 'BrowserRenderTests|DashboardBrowserTests'

## test-slurm: the Slurm wrappers (examples/slurm/) against a real single-node cluster, started and stopped here
test-slurm: deps build-debug
	scripts/slurm-test-cluster.sh run env LAYERNAS_BIN=$(CURDIR)/$(BIN_DEBUG) $(SWIFT) test --filter SlurmClusterTests

## test-onnx: install onnx, onnxruntime and numpy from PyPI into .build/onnx-venv, then check exported
## models with onnx.checker and onnxruntime against layernas's own inference (MLP, pooled CNN, GAP CNN)
test-onnx: deps build-debug
	scripts/onnx-venv.sh || echo "test-onnx: onnx, onnxruntime and numpy could not be installed (see above); the ONNX tests are skipped"
	LAYERNAS_BIN=$(CURDIR)/$(BIN_DEBUG) $(SWIFT) test --filter ONNXRoundTripTests

## kill-loop: the SIGKILL/resume test with many more kills (KILLS=300 by default)
KILLS ?= 300
kill-loop: deps build-debug
	LAYERNAS_BIN=$(CURDIR)/$(BIN_DEBUG) LAYERNAS_KILL_LOOP_KILLS=$(KILLS) $(SWIFT) test --filter 'KillResumeTests/killedAndResumedSearchEqualsAnUninterruptedOne'

## run: a real LayerNAS search on Fashion-MNIST (the MLP example); run it again to resume
run: build
	$(BIN_RELEASE) search $(RUN_DB) --space examples/fashion-mlp.yaml --budget $(RUN_BUDGET)
	$(BIN_RELEASE) status $(RUN_DB)

## bench: every benchmark (trainer vs sgemm/numpy/PyTorch, bookkeeping vs Optuna, search quality), results in bench/results/
bench: build
	bench/run.sh $(CURDIR)/$(BIN_RELEASE)

## bench-peers: install the Python references (numpy, PyTorch CPU, Optuna) into bench/.venv
bench-peers:
	bench/peers.sh

## bench-table: regenerate bench/fashion-mlp-table.csv with the built-in trainer (~15-25 min on 2 cores)
bench-table: build
	bench/make-table.sh $(CURDIR)/$(BIN_RELEASE)

## bench-cnn-table: regenerate bench/fashion-cnn-table.csv (1,092 CNNs, 2 seeds; ~1-2 hours on 2 cores, resumable)
bench-cnn-table: build
	SPACE=bench/cnn-table-space.yaml OUT=bench/fashion-cnn-table.csv SEEDS="1 2" bench/make-table.sh $(CURDIR)/$(BIN_RELEASE)

## bench-quality: search quality on the committed tables (regret and Pareto hypervolume vs baselines)
bench-quality: build
	$$( [ -x bench/.venv/bin/python ] && echo bench/.venv/bin/python || echo python3 ) bench/search_quality.py --bin $(BIN_RELEASE)

## man: the manual page, generated from the help texts by swift-argument-parser's generate-manual
## plugin (it builds in release mode, as `build` does; no network: the package is resolved already)
man: build
	$(SWIFT) package plugin generate-manual

## install: the binary to $(PREFIX)/bin, the manual page to $(PREFIX)/share/man/man1, and the
## bash, zsh and fish completions the binary generates
install: build man
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/man/man1 \
	  $(DESTDIR)$(PREFIX)/share/bash-completion/completions $(DESTDIR)$(PREFIX)/share/zsh/site-functions \
	  $(DESTDIR)$(PREFIX)/share/fish/vendor_completions.d
	install -m 755 $(BIN_RELEASE) $(DESTDIR)$(PREFIX)/bin/layernas
	install -m 644 $(MAN_PAGE) $(DESTDIR)$(PREFIX)/share/man/man1/layernas.1
	$(BIN_RELEASE) --generate-completion-script bash > $(DESTDIR)$(PREFIX)/share/bash-completion/completions/layernas
	$(BIN_RELEASE) --generate-completion-script zsh > $(DESTDIR)$(PREFIX)/share/zsh/site-functions/_layernas
	$(BIN_RELEASE) --generate-completion-script fish > $(DESTDIR)$(PREFIX)/share/fish/vendor_completions.d/layernas.fish

## migrations: regenerate the schema the binary carries from migrations/*.sql
migrations:
	./scripts/embed-migrations.sh

clean:
	rm -rf .build runs
