#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Dispatch
import ModerateCore
import Synchronization

/// SIGTERM (systemd stopping the service, `kill`) and SIGINT (Ctrl-C) ask the run to stop
/// instead of killing it on the spot: the runner stops reading at the next comment, commits
/// what it read, and `run` writes its summary (status `interrupted`) and then ends by that same
/// signal, so a shell or systemd sees how it ended. Killing mid-batch would also be safe (the
/// journal repairs it), but would leave no summary.
///
/// A run blocked reading an input that sends nothing (a pipe from a stalled exporter) cannot
/// reach its next comment: once a whole `gracePeriod` after the signal passes with no step of
/// work done (`StopRequest.progress`), `whenStuck` is called (it writes the summary) and the
/// process ends by the signal, committed batches kept. A run still deciding what it read, on a
/// slow or loaded machine, is not cut short. A second signal ends it at once in the same way.
final class StopSignals {
    static let gracePeriod: DispatchTimeInterval = .seconds(10)
    let stopRequest = StopRequest()
    private let received = ReceivedSignal()
    private let sources: [DispatchSourceSignal]

    /// The first signal received, shared with the handlers.
    private final class ReceivedSignal: Sendable {
        let number = Atomic<Int32>(0)
    }

    /// The signal that asked for the stop, if one did.
    var signal: Int32? {
        let value = received.number.load(ordering: .relaxed)
        return value == 0 ? nil : value
    }

    init(whenStuck: @escaping @Sendable (Int32) -> Void) {
        let queue = DispatchQueue(label: "moderate.stop-signals")
        var sources: [DispatchSourceSignal] = []
        let stopRequest = self.stopRequest
        let received = self.received
        for number in [SIGTERM, SIGINT] {
            // The default action would kill the process before the source could see the signal.
            Glibc.signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: queue)
            source.setEventHandler {
                let (first, earlier) = received.number.compareExchange(expected: 0, desired: number, ordering: .relaxed)
                guard first else {
                    whenStuck(earlier)
                    StopSignals.endBy(earlier)
                }
                stopRequest.request()
                StopSignals.endIfStuck(by: number, after: stopRequest.progress, stopRequest, queue, whenStuck)
            }
            source.resume()
            sources.append(source)
        }
        self.sources = sources
    }

    /// Ends the process by `number` if no work was done in the grace period since
    /// `progress`; else looks again after another grace period.
    private static func endIfStuck(by number: Int32, after progress: Int, _ stopRequest: StopRequest,
                                   _ queue: DispatchQueue, _ whenStuck: @escaping @Sendable (Int32) -> Void) {
        queue.asyncAfter(deadline: .now() + gracePeriod) {
            let now = stopRequest.progress
            guard now == progress else { return endIfStuck(by: number, after: now, stopRequest, queue, whenStuck) }
            whenStuck(number)
            endBy(number)
        }
    }

    /// Ends the process by the signal (its default action), as if it had not been caught.
    static func endBy(_ number: Int32) -> Never {
        Glibc.signal(number, SIG_DFL)
        // This thread may block the signal (libdispatch's threads do, and a parent can leave it
        // blocked); unblocked, a signal raised on this thread is delivered before raise returns.
        var set = sigset_t()
        sigemptyset(&set)
        sigaddset(&set, number)
        pthread_sigmask(SIG_UNBLOCK, &set, nil)
        raise(number)
        _exit(128 + number)  // not reached
    }

    static func name(of number: Int32) -> String {
        switch number {
        case SIGTERM: return "SIGTERM"
        case SIGINT: return "SIGINT"
        default: return "signal \(number)"
        }
    }
}
