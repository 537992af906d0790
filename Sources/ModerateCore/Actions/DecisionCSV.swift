import Foundation

/// `moderate actions --for csv`: `id,decision` rows (RFC 4180: CRLF line ends, a field with a
/// comma, quote, CR or LF quoted, quotes doubled), for sites that are neither WordPress nor
/// Disqus. The id is the queue's (`moderation.id`), whatever bytes it holds; a spreadsheet
/// may read an id starting with `=`, `+`, `-` or `@` as a formula, so open it as text.
public enum DecisionCSV {
    public static func render(_ plan: ActionPlan) -> [UInt8] {
        var text = "id,decision\r\n"
        for item in plan.items {
            text += field(item.id) + "," + item.action.rawValue + "\r\n"
        }
        return Array(text.utf8)
    }

    static func field(_ value: String) -> String {
        guard value.contains(where: { $0 == "," || $0 == "\"" || $0 == "\r" || $0 == "\n" || $0 == "\r\n" }) else { return value }
        return "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
