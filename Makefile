# redline — `make build` renders content/ into dist/; `make test` runs every test.
GO      ?= go
TOOLS   := $(CURDIR)/.tools/bin
export PATH := $(TOOLS):$(PATH)

# Pinned tools, installed from the Go module proxy and Debian's packages.
MAILPIT_VERSION     := v1.33.1
STATICCHECK_VERSION := v0.8.2
ACTIONLINT_VERSION  := v1.7.12

.PHONY: build test check lint-workflows bench eval serve tools fmt clean

build:
	$(GO) run ./cmd/redline build

test: tools
	$(GO) test -count=1 ./...

check: tools $(TOOLS)/staticcheck lint-workflows
	@test -z "$$(gofmt -l $$(git ls-files '*.go'))" || { gofmt -l $$(git ls-files '*.go'); echo "gofmt: run make fmt"; exit 1; }
	$(GO) vet ./...
	$(TOOLS)/staticcheck ./...
	$(GO) test -race -count=1 ./...

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

$(TOOLS)/mailpit:
	GOBIN=$(TOOLS) $(GO) install github.com/axllent/mailpit@$(MAILPIT_VERSION)

$(TOOLS)/staticcheck:
	GOBIN=$(TOOLS) $(GO) install honnef.co/go/tools/cmd/staticcheck@$(STATICCHECK_VERSION)

$(TOOLS)/actionlint:
	GOBIN=$(TOOLS) $(GO) install github.com/rhysd/actionlint/cmd/actionlint@$(ACTIONLINT_VERSION)

clean:
	rm -rf .tools
	find dist -mindepth 1 ! -name README.md ! -name .gitignore -exec rm -rf {} +
