# credit-etl: the two set-up commands are `make demo` and `make test` (see README.md).
SWIFT ?= swift
BIN := .build/debug/credit-etl

.PHONY: deps build demo test bench bench-archive clean

deps:
	@scripts/install-deps.sh

build: deps
	$(SWIFT) build --product credit-etl

## Run the nightly pipeline over samples/ into var/archive.sqlite and var/reports/.
demo: build
	$(BIN) run pipelines/nightly.yaml

## Run the whole test suite (a venv in .build/python holds python-stdnum for the differential test).
test: deps
	CREDIT_ETL_PYTHON="$$(scripts/test-python.sh)" $(SWIFT) test

clean:
	rm -rf .build var

## Benchmarks (release build; figures and how to read them: docs/performance.md).
bench:
	CREDIT_ETL_BENCHMARKS=1 $(SWIFT) build -c release --product credit-etl-benchmarks
	CREDIT_ETL_BENCHMARKS=1 $(SWIFT) run -c release credit-etl-benchmarks uscc

## The full run of 1,000,000 synthetic 行政处罚 records against a bare `sqlite3 .import` of the same CSV.
bench-archive: deps
	scripts/bench-archive.sh
