# make eval: the default rules against every labelled corpus in CORPORA_DIR (per corpus, per
# source, per rule; README, "How well they do"). The JSON goes to .build/eval/summary.json.
# make eval-youtube-halves: the YouTube Spam Collection whole, odd rows, even rows.
CORPORA_DIR ?= ../shared/corpora
RULES ?= rules
MODERATE ?= .build/release/moderate
export CORPORA_DIR RULES MODERATE

.PHONY: eval eval-youtube-halves test test-eval-script model eval-learned bench-learned

eval:
	@scripts/eval-corpora --check
	@$(MAKE) --no-print-directory $(MODERATE)
	scripts/eval-corpora

# Build the release binary only when a source file or the package manifest is newer than it.
.build/release/moderate: Package.swift $(shell find Sources -type f -name '*.swift' -o -type f -name '*.h' -o -type f -name '*.modulemap')
	swift build -c release --product moderate
	@touch $@

# make model: the shipped model of the learned stage (rules/learned.model), trained from
# nothing on every corpus in CORPORA_DIR (README, "The learned stage"). The same corpora give
# the same bytes. The pipeline must already name the model (it does in rules/).
MODEL ?= $(RULES)/learned.model
model: $(MODERATE)
	@scripts/eval-corpora --check
	rm -f $(MODEL).new
	for corpus in $(CORPORA_DIR)/*.csv; do \
		$(MODERATE) learn --rules $(RULES) --model $(MODEL).new --label label=1 --map body=text "$$corpus" || exit 1; \
	done
	mv $(MODEL).new $(MODEL)

# make eval-learned: leave-one-source-out figures of the learned stage (README, "How well the
# learned stage does"); TOKENS=words etc. measures other token kinds.
eval-learned: $(MODERATE)
	@scripts/eval-corpora --check
	scripts/eval-learned

# make bench-learned: what the learned stage adds to the time per comment, and learn's speed.
bench-learned: $(MODERATE)
	scripts/bench-learned

eval-youtube-halves: $(MODERATE)
	scripts/eval-default-rules

# The arithmetic of scripts/eval-corpora (no corpus, no build needed).
test-eval-script:
	python3 scripts/eval-corpora-test.py

test:
	swift test
