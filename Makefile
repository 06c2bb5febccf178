# citetrace: `make demo` and `make test` work on a fresh machine with Python 3.11.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test install clean sample eval-corpus

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

eval-corpus: $(STAMP)  ## extraction quality on ../shared (corpus + report replicas)
	rm -f corpus-eval.db
	mkdir -p .eval-gold && cp ../shared/corpus/gold/*.json ../shared/report/*.gold.json .eval-gold/
	-$(BIN)/citetrace ingest ../shared/corpus/pdfs ../shared/report/report_replica_1col.pdf ../shared/report/report_replica_2col.pdf --db corpus-eval.db --workers 2
	$(BIN)/citetrace eval --db corpus-eval.db .eval-gold

clean:
	rm -rf $(VENV) samples citetrace-demo.db corpus-eval.db .eval-gold
