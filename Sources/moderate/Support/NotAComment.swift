import ModerateCore

/// `file:line: not a comment: reason`, on stderr: how `explain`, `eval` and `diff` report
/// input that is not a comment (`run` writes it to errors.jsonl instead).
func reportNotAComment(_ error: InputError) {
    printError("\(error.source):\(error.line): not a comment: \(error.reason)")
}
