/// What `moderate actions --for` writes: a WP-CLI script, Disqus API requests, or CSV.
public enum ActionTarget: String, CaseIterable, Sendable {
    case wpCLI = "wp-cli"
    case disqus
    case csv
}
