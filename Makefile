# pulumi-fgs: the FunctionGraph provider. `make demo` and `make test` are the two entry points (README.md).
SHELL        := /bin/bash
VERSION      ?= 0.1.0-dev
MODULE       := github.com/fgs-iac/pulumi-fgs
LDFLAGS      := -s -w -X $(MODULE)/provider.Version=$(VERSION)
TOOLBIN      := $(shell scripts/toolchain.sh --bin)
GO_TEST_FLAGS ?= -count=1 -timeout 60m

# The offline Pulumi environment (docs/toolchain.md): our binaries first, then the pinned toolchain.
export PATH                                   := $(CURDIR)/bin:$(TOOLBIN):$(PATH)
export PULUMI_SKIP_UPDATE_CHECK               := true
export PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION := true
export GOTOOLCHAIN                            := local

.PHONY: all build provider emulator adopt tools schema sdks codegen test test-unit test-e2e demo bench reliability lint install release-snapshot clean

all: build

build: provider emulator adopt

provider:
	go build -trimpath -ldflags "$(LDFLAGS)" -o bin/pulumi-resource-fgs ./cmd/pulumi-resource-fgs

emulator:
	go build -trimpath -o bin/fgs-emulator ./cmd/fgs-emulator

adopt:
	go build -trimpath -ldflags "$(LDFLAGS)" -o bin/fgs-adopt ./cmd/fgs-adopt

tools:
	scripts/toolchain.sh >/dev/null

# schema.json and the three SDKs, from the provider's Go types.
schema sdks codegen:
	go run ./cmd/pulumi-gen-fgs -out .
	cd sdk/go && GOFLAGS=-mod=mod go mod tidy

# The client and the emulator run once, under the race detector; the rest (provider, the generator under
# cmd/, the e2e tests) without it: the e2e tests drive separate processes, where -race buys nothing and
# costs minutes.
test: tools lint
	go test $(GO_TEST_FLAGS) -race ./internal/...
	go test $(GO_TEST_FLAGS) $$(go list ./... | grep -v /internal/)

test-unit:
	go test $(GO_TEST_FLAGS) ./internal/... ./provider/... ./cmd/...

test-e2e: tools
	go test $(GO_TEST_FLAGS) -v ./tests/...

# The demo needs only the CLI and the YAML host; the other hosts, goreleaser and tsc come with `make test`.
demo: build
	TOOLS=cli scripts/toolchain.sh >/dev/null
	scripts/demo.sh

# One table of every performance figure (scripts/bench.sh: P0-P5, about 3 minutes on 2 cores). The Go
# benchmarks one by one: go test -run '^$$' -bench . -benchmem ./internal/... ./provider/...
bench:
	scripts/bench.sh

# The reliability suite (tests/reliability*_test.go) with its repeated scenarios run FGS_RELIABILITY_RUNS times
# (default 10; `make test` runs each once): the figures ("N of 10 succeeded"), then where the full log is.
reliability: tools
	@log=$$(mktemp /tmp/fgs-reliability.XXXXXX); \
	FGS_RELIABILITY_RUNS=$${FGS_RELIABILITY_RUNS:-10} go test $(GO_TEST_FLAGS) -v -run '^TestReliability' ./tests/ >$$log 2>&1; rc=$$?; \
	grep -E '^(--- |ok|FAIL)|succeeded|no silent orphan|killed provider|the second up' $$log; \
	echo "full log: $$log"; exit $$rc

# The repository stands alone: nothing in it may read or cite the team's notes beside the clone.
lint:
	@if git grep -nE '\.\./shared|shared/(seeds|fgs-api-map|aksk-signing|toolchain\.md|design\.md)' -- ':!Makefile' ':!sdk'; then \
		echo "the lines above point outside the repository"; exit 1; fi
	@bad=$$(gofmt -l $$(git ls-files '*.go' | grep -v '^sdk/') 2>/dev/null); \
	if [ -n "$$bad" ]; then echo "not gofmt-formatted: $$bad"; exit 1; fi
	go vet ./...

install:
	go install -trimpath -ldflags "$(LDFLAGS)" ./cmd/pulumi-resource-fgs

release-snapshot: tools
	goreleaser release --snapshot --clean --skip=publish

clean:
	rm -rf bin dist
