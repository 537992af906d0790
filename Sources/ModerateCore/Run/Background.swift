import Dispatch
import Foundation
import Synchronization

/// Work done on `queue` (one block after another, in the order given), or right away
/// without one; `wait()` gives its result.
final class Background<Result>: @unchecked Sendable {
    private let done = DispatchGroup()
    /// Written once by the work, read after `done` (which orders the two).
    private var result: Result?

    init(on queue: DispatchQueue?, _ work: @escaping @Sendable () -> Result) {
        guard let queue else {
            result = work()
            return
        }
        queue.async(group: done) { self.result = work() }
    }

    @discardableResult
    func wait() -> Result {
        done.wait()
        return result!
    }
}
