# make eval: the default rules against every labelled corpus in CORPORA_DIR (per corpus, per
# source, per rule; README, "How well they do"). The JSON goes to .build/eval/summary.json.
# make eval-youtube-halves: the YouTube Spam Collection whole, odd rows, even rows.
CORPORA_DIR ?= ../shared/corpora
RULES ?= rules
MODERATE ?= .build/release/moderate
export CORPORA_DIR RULES MODERATE

.PHONY: eval eval-youtube-halves test test-eval-script

eval:
	@scripts/eval-corpora --check
	@$(MAKE) --no-print-directory $(MODERATE)
	scripts/eval-corpora

# Build the release binary only when a source file or the package manifest is newer than it.
.build/release/moderate: Package.swift $(shell find Sources -type f -name '*.swift' -o -type f -name '*.h' -o -type f -name '*.modulemap')
	swift build -c release --product moderate
	@touch $@

eval-youtube-halves: $(MODERATE)
	scripts/eval-default-rules

# The arithmetic of scripts/eval-corpora (no corpus, no build needed).
test-eval-script:
	python3 scripts/eval-corpora-test.py

test:
	swift test
