import Synchronization

/// Asks a running `BatchRunner` to stop early (the CLI sets it on SIGTERM or SIGINT). The
/// runner stops reading at the next comment, decides and commits everything it has read, and
/// returns a summary marked `interrupted`: what was read is queued, the rest is left for the
/// next run, which skips what is already queued.
public final class StopRequest: Sendable {
    private let requested = Atomic<Bool>(false)
    private let steps = Atomic<Int>(0)

    public init() {}

    public func request() { requested.store(true, ordering: .relaxed) }

    public var isRequested: Bool { requested.load(ordering: .relaxed) }

    /// Steps of work done so far (comments decided, batches committed): whoever waits for the
    /// run to stop can tell a run still finishing its work (on a slow or loaded machine) from
    /// one blocked on an input that sends nothing.
    public var progress: Int { steps.load(ordering: .relaxed) }

    func noteProgress() { steps.add(1, ordering: .relaxed) }
}
