#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Dispatch
import Foundation
import ModerateCore
import Synchronization

/// Where the signal handler writes: set once, before the handler is installed.
nonisolated(unsafe) private var signalPipeWriteEnd: Int32 = -1

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

    /// The first signal received, shared with the handlers.
    private final class ReceivedSignal: Sendable {
        let number = Atomic<Int32>(0)
    }

    /// The signal that asked for the stop, if one did.
    var signal: Int32? {
        let value = received.number.load(ordering: .relaxed)
        return value == 0 ? nil : value
    }

    /// The handler is installed with `sigaction` before `init` returns, so no signal is lost
    /// from then on. (A dispatch signal source registers its handler later, on libdispatch's
    /// own thread; a SIGTERM sent in between was ignored, and a run blocked on a silent pipe
    /// then never stopped.) The handler only writes the signal's number to a pipe, which is
    /// all a signal handler may safely do; a thread of ours reads it and does the rest.
    init(whenStuck: @escaping @Sendable (Int32) -> Void) {
        let queue = DispatchQueue(label: "moderate.stop-signals")
        let stopRequest = self.stopRequest
        let received = self.received
        let handle: @Sendable (Int32) -> Void = { number in
            let (first, earlier) = received.number.compareExchange(expected: 0, desired: number, ordering: .relaxed)
            guard first else {
                whenStuck(earlier)
                StopSignals.endBy(earlier)
            }
            stopRequest.request()
            StopSignals.endIfStuck(by: number, after: stopRequest.progress, stopRequest, queue, whenStuck)
        }
        var ends: [Int32] = [-1, -1]
        guard pipe(&ends) == 0 else { return }  // then the signals keep their default action
        for end in ends { _ = fcntl(end, F_SETFD, FD_CLOEXEC) }
        signalPipeWriteEnd = ends[1]
        let readEnd = ends[0]
        var action = sigaction()
        action.__sigaction_handler.sa_handler = { number in
            var byte = UInt8(truncatingIfNeeded: number)
            _ = write(signalPipeWriteEnd, &byte, 1)
        }
        sigemptyset(&action.sa_mask)
        // Restarted, a blocking read of the input goes on as if no signal had come; the
        // runner sees the stop at its next comment.
        action.sa_flags = SA_RESTART
        for number in [SIGTERM, SIGINT] { sigaction(number, &action, nil) }
        // A parent may start us with these signals blocked (a test runner's worker thread does):
        // blocked, the handler would never run. Unblocked on this, the main thread, they reach
        // it or the listener, which inherits this mask.
        var unblocked = sigset_t()
        sigemptyset(&unblocked)
        sigaddset(&unblocked, SIGTERM)
        sigaddset(&unblocked, SIGINT)
        pthread_sigmask(SIG_UNBLOCK, &unblocked, nil)
        let listener = Thread {
            var byte: UInt8 = 0
            while true {
                let got = read(readEnd, &byte, 1)
                if got == 1 {
                    let number = Int32(byte)
                    queue.async { handle(number) }
                } else if got < 0 && errno == EINTR {
                    continue
                } else {
                    return
                }
            }
        }
        listener.start()
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
