# credit-etl: the two set-up commands are `make demo` and `make test` (see README.md).
SWIFT ?= swift
BIN := .build/debug/credit-etl

.PHONY: deps build demo demo-resend test bench bench-archive bench-subject bench-check clean

deps:
	@scripts/install-deps.sh

build: deps
	$(SWIFT) build --product credit-etl

## Run the nightly pipeline over samples/ into var/archive.sqlite and var/reports/. The samples
## carry planted defects, so the run misses its quality targets: exit 3 is the expected outcome
## here (a nightly job fails on it); any other failure fails the demo.
demo: build
	@status=0; $(BIN) run pipelines/nightly.yaml || status=$$?; \
	if [ $$status -eq 3 ]; then echo "demo: targets missed as expected (the samples carry planted defects; exit 3)"; \
	elif [ $$status -ne 0 ]; then exit $$status; fi
	$(BIN) publish --pipeline pipelines/nightly.yaml

## The demo's second night: two departments send back their feedback with rows corrected
## (samples-resent/); the report then shows corrections (纠正) and a trend of two runs, and the
## month's report covers both nights.
demo-resend: build
	@status=0; $(BIN) run pipelines/resend.yaml || status=$$?; \
	if [ $$status -eq 3 ]; then echo "demo: targets missed as expected (exit 3)"; elif [ $$status -ne 0 ]; then exit $$status; fi
	$(BIN) report --pipeline pipelines/nightly.yaml --period "$$(date +%Y-%m)"

## Run the whole test suite (a venv in .build/python holds python-stdnum for the differential test).
test:
	@scripts/install-deps.sh test
	CREDIT_ETL_PYTHON="$$(scripts/test-python.sh)" $(SWIFT) test

clean:
	rm -rf .build var

## Benchmarks (release build; figures and how to read them: docs/performance.md).
bench:
	CREDIT_ETL_BENCHMARKS=1 $(SWIFT) build -c release --product credit-etl-benchmarks
	CREDIT_ETL_BENCHMARKS=1 $(SWIFT) run -c release credit-etl-benchmarks uscc

## `credit-etl subject` against the archive the NIGHT benchmark grew (BENCH_DIR as there; SCAN=1 adds the scan).
bench-subject: deps
	scripts/bench-subject.sh

## `credit-etl check-subjects` of 10,000 subjects against that archive with a registry and lists added.
bench-check: deps
	scripts/bench-check.sh

## The full run of 1,000,000 synthetic 行政处罚 records against a bare `sqlite3 .import` of the same CSV.
bench-archive: deps
	scripts/bench-archive.sh
