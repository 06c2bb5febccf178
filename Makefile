# citetrace: `make demo` and `make test` work on a fresh machine with Python 3.11.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
BENCH_STAMP := $(VENV)/.bench-installed

.PHONY: demo test install clean sample variants eval-variants eval-corpus bench-links bench bench-quick bench-dask bench-profile fuzz

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)  ## build the sample report, ingest it, serve it on 127.0.0.1:8001
	$(BIN)/citetrace demo

test: $(STAMP)  ## run the whole test suite
	$(BIN)/python -m pytest -q

sample: $(STAMP)
	$(BIN)/citetrace sample build

VARIANTS ?= 30
SEED ?= 15  # the set tests/test_variants.py scores
VARIANT_FLAGS ?=  # e.g. "--wide", or "--layouts --producers reportlab"
variants: $(STAMP)  ## VARIANTS style-varied PDFs with gold in variants/ (reportlab, LibreOffice, pdfLaTeX)
	rm -rf variants
	$(BIN)/python -m citetrace.ingest.variants build --out variants --count $(VARIANTS) --seed $(SEED) $(VARIANT_FLAGS)

eval-variants: variants  ## ingest the variants and score them against their gold
	rm -f variants.db
	$(BIN)/citetrace ingest variants --db variants.db --workers 2 --quiet
	$(BIN)/citetrace eval --db variants.db variants

eval-corpus: $(STAMP)  ## extraction quality on ../shared (corpus + report replicas)
	rm -f corpus-eval.db
	mkdir -p .eval-gold && cp ../shared/corpus/gold/*.json ../shared/report/*.gold.json .eval-gold/
	-$(BIN)/citetrace ingest ../shared/corpus/pdfs ../shared/report/report_replica_1col.pdf ../shared/report/report_replica_2col.pdf --db corpus-eval.db --workers 2
	$(BIN)/citetrace eval --db corpus-eval.db .eval-gold

bench-links: $(STAMP)  ## check-links on 2,000 URLs / 50 loopback hosts: budget and per-host limit
	$(BIN)/python tests/bench/bench_linkcheck.py

bench: $(BENCH_STAMP)  ## ingest + serving benchmarks (../shared corpus, 1,000-doc database): docs/benchmarks.md
	$(BIN)/python tests/bench/bench_ingest.py

bench-quick: $(BENCH_STAMP)  ## the same, small: 3 corpus files, 50 documents (BENCH_DOCS), 5 s of load
	$(BIN)/python tests/bench/bench_ingest.py --quick

bench-dask: $(BENCH_STAMP)  ## the Dask rows alone: LocalCluster(2) vs --workers 2 on 3 corpus files, 1,000 briefs' client RSS
	BENCH_DASK_DOCS=1000 $(BIN)/python tests/bench/bench_ingest.py --only dask --quick

$(BENCH_STAMP): pyproject.toml $(STAMP)
	$(BIN)/python -m pip install -q -e '.[test,bench]'
	touch $(BENCH_STAMP)

bench-profile: $(BENCH_STAMP)  ## pyinstrument call tree of one process ingesting a few files
	$(BIN)/python tests/bench/bench_profile.py

fuzz: $(STAMP)  ## longer fuzzing: 500 mutated sample PDFs, 2,000 generated pages per property
	CITETRACE_FUZZ_FILES=500 CITETRACE_FUZZ_PROFILE=fuzz $(BIN)/python -m pytest -q tests/test_fuzz.py

clean:
	rm -rf $(VENV) samples citetrace-demo.db corpus-eval.db .eval-gold variants variants.db
