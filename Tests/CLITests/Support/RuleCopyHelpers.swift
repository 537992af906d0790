import Foundation
import Testing

/// A copy of the shipped rules in a scratch folder, to edit for one test.
func copyOfDefaultRules() throws -> URL {
    let copy = try scratchDirectory().appendingPathComponent("rules")
    try FileManager.default.copyItem(at: Moderate.packageRoot.appendingPathComponent("rules"), to: copy)
    return copy
}

func raiseLinkScoreAndDistrustWikipedia(in rules: URL) throws {
    try replace("at_least: 1\n    score: 2", with: "at_least: 1\n    score: 3", in: rules.appendingPathComponent("links.yaml"))
    try replace("wikipedia.org\n", with: "", in: rules.appendingPathComponent("lists/allowed-domains.txt"))
}

func replace(_ old: String, with new: String, in file: URL) throws {
    let text = try String(contentsOf: file, encoding: .utf8)
    #expect(text.contains(old), "\(file.lastPathComponent) no longer contains \(old)")
    try text.replacingOccurrences(of: old, with: new).write(to: file, atomically: true, encoding: .utf8)
}
