# make eval: the default rules against the YouTube Spam Collection (whole, odd rows, even rows).
.PHONY: eval test
eval:
	scripts/eval-default-rules
test:
	swift test
