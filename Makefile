# redline — `make build` renders content/ into dist/; `make test` runs every test.
GO      ?= go
TOOLS   := $(CURDIR)/.tools/bin
export PATH := $(TOOLS):$(PATH)

# Pinned tools, installed from the Go module proxy and Debian's packages.
MAILPIT_VERSION     := v1.33.1
STATICCHECK_VERSION := v0.8.2
ACTIONLINT_VERSION  := v1.7.12

# The race detector runs on the packages that start goroutines (notify,
# serve, site and the CLI that wires them); the pure, single-threaded ones
# run without it, ten times faster, with nothing shared to race on. Every
# test runs once.
# -timeout 30m: a starved CPU is slow, not wrong; no test has a clock of
# its own, so go test's is the one that stops a hung test.
PURE_PKGS := ./internal/change/... ./internal/content/... ./internal/render/...

.PHONY: build test lint lint-workflows check bench eval serve starved tools fmt clean

build:
	$(GO) run ./cmd/redline build

test: tools
	$(GO) test -count=1 -timeout 30m $(PURE_PKGS)
	$(GO) test -race -count=1 -timeout 30m $$($(GO) list ./... | grep -v -E '/internal/(change|content|render)(/|$$)')

# lint: formatting, vet, staticcheck and the workflows; no tests (CI runs
# them once, in make test).
lint: $(TOOLS)/staticcheck lint-workflows
	@test -z "$$(gofmt -l $$(git ls-files '*.go'))" || { gofmt -l $$(git ls-files '*.go'); echo "gofmt: run make fmt"; exit 1; }
	$(GO) vet ./...
	$(TOOLS)/staticcheck ./...

check: lint test

# starved: the whole suite on one CPU shared with two busy loops, as on an
# overloaded CI machine. Nothing in the suite may depend on speed.
starved: tools
	sh .ci/starved.sh

# actionlint checks .github/workflows/*.yml (and their run: scripts with
# shellcheck, when it is installed).
lint-workflows: $(TOOLS)/actionlint
	$(TOOLS)/actionlint

bench:
	$(GO) test -run '^$$' -bench . -benchmem ./...

eval:
	$(GO) test -count=1 -run 'TestCorpusAccuracy' -v ./internal/change/

serve:
	$(GO) run ./cmd/redline serve

fmt:
	gofmt -w $$(git ls-files '*.go')

tools: $(TOOLS)/mailpit
	@sh .ci/chromium.sh
	@sh .ci/postgresql.sh

$(TOOLS)/mailpit:
	GOBIN=$(TOOLS) $(GO) install github.com/axllent/mailpit@$(MAILPIT_VERSION)

$(TOOLS)/staticcheck:
	GOBIN=$(TOOLS) $(GO) install honnef.co/go/tools/cmd/staticcheck@$(STATICCHECK_VERSION)

$(TOOLS)/actionlint:
	GOBIN=$(TOOLS) $(GO) install github.com/rhysd/actionlint/cmd/actionlint@$(ACTIONLINT_VERSION)

clean:
	rm -rf .tools
	find dist -mindepth 1 ! -name README.md ! -name .gitignore -exec rm -rf {} +
