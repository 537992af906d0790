#if canImport(Glibc)
import Glibc
#endif

/// Places where the crash tests kill the process on purpose: with
/// `MODERATE_TEST_KILL_AT=<point>` in the environment the process sends itself SIGKILL there,
/// as a power cut would stop it. Without the variable nothing happens.
enum FaultPoint: String {
    /// A decision's record is written to its queue, its line of decisions.jsonl not yet.
    case betweenRecordAndDecision = "between-record-and-decision"

    static func reached(_ point: FaultPoint) throws {
        guard let wanted = getenv("MODERATE_TEST_KILL_AT"), String(cString: wanted) == point.rawValue else { return }
        kill(getpid(), SIGKILL)
    }
}
