/// `moderate actions --for wp-cli`: a POSIX shell script of batched WP-CLI commands,
///
///     #!/bin/sh
///     set -eu
///     WP=${WP:-wp}
///     $WP comment approve 12 15 …
///     $WP comment unapprove 31
///     $WP comment spam 40 41
///
/// Only `ActionPlan`'s ids appear in it, and they are digits only (`ActionPlan.isPlatformID`),
/// so nothing from an export is ever interpolated into a command: the comment text, author
/// and the rest are not in the script at all. `WP` lets the caller name the command, with
/// options (`WP="wp --path=/srv/www"`); it is the caller's own environment.
public enum WPCLIScript {
    /// Ids per command line, as `wp comment approve 1 2 …` takes them: short enough for any
    /// system's argument limit, few enough lines for a big queue.
    public static let batchSize = 100

    public static func render(_ plan: ActionPlan, batchSize: Int = batchSize) -> [UInt8] {
        var text = """
            #!/bin/sh
            # Written by moderate actions --for wp-cli: what the WordPress site must do to match
            # the queues. Run it where WP-CLI works (WP="wp --path=/srv/www" sh this-file).
            set -eu
            WP=${WP:-wp}

            """
        for (action, command) in [(Action.approve, "approve"), (.hold, "unapprove"), (.reject, "spam")] {
            let ids = plan.siteIDs(for: action)
            precondition(ids.allSatisfy(ActionPlan.isPlatformID), "only validated ids reach the script")
            var start = 0
            while start < ids.count {
                let batch = ids[start..<min(start + batchSize, ids.count)]
                text += "$WP comment \(command) " + batch.joined(separator: " ") + "\n"
                start += batchSize
            }
        }
        return Array(text.utf8)
    }
}
