import ArgumentParser
import Foundation
import ModerateCore

/// A plain text table: columns padded to their widest cell, numbers right-aligned.
func table(_ header: [String], _ rows: [[String]], rightAligned: Set<Int> = []) -> [String] {
    let all = [header] + rows
    let widths = header.indices.map { column in all.map { $0[column].count }.max() ?? 0 }
    func render(_ row: [String]) -> String {
        row.enumerated().map { column, cell in
            let padding = String(repeating: " ", count: widths[column] - cell.count)
            return rightAligned.contains(column) ? padding + cell : cell + padding
        }.joined(separator: "  ").replacingOccurrences(of: "\\s+$", with: "", options: .regularExpression)
    }
    let rule = widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ")
    return [render(header), rule] + rows.map(render)
}
