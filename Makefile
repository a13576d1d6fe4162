# credit-etl: the two set-up commands are `make demo` and `make test` (see README.md).
SWIFT ?= swift
BIN := .build/debug/credit-etl

.PHONY: deps build demo test clean

deps:
	@scripts/install-deps.sh

build: deps
	$(SWIFT) build --product credit-etl

## Run the nightly pipeline over samples/ into var/archive.sqlite and var/reports/.
demo: build
	$(BIN) run pipelines/nightly.yaml

## Run the whole test suite.
test: deps
	$(SWIFT) test

clean:
	rm -rf .build var
