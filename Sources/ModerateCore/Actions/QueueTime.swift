import Foundation

/// The times `moderate actions --since` compares. A person's decision has its `when` (ISO 8601,
/// UTC); a comment only the run decided has the `date` its export gave, in one of the forms
/// exports write: ISO 8601 with a zone (`2024-02-12T10:02:00Z`, `…+02:00`, with or without
/// fractions), and WordPress's `2024-02-12 10:02:00` or a zoneless `2024-02-12T10:02:00`, both
/// read as UTC (the WXR reader takes `comment_date_gmt`).
public enum QueueTime {
    public static func parse(_ text: String) -> Date? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let withZone = ISO8601DateFormatter()
        withZone.formatOptions = [.withInternetDateTime]
        if let date = withZone.date(from: trimmed) { return date }
        withZone.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        if let date = withZone.date(from: trimmed) { return date }
        let zoneless = DateFormatter()
        zoneless.locale = Locale(identifier: "en_US_POSIX")
        zoneless.timeZone = TimeZone(identifier: "UTC")
        for format in ["yyyy-MM-dd HH:mm:ss", "yyyy-MM-dd'T'HH:mm:ss", "yyyy-MM-dd"] {
            zoneless.dateFormat = format
            if let date = zoneless.date(from: trimmed) { return date }
        }
        return nil
    }
}
