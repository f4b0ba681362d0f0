import Foundation

/// A self-pipe that interrupts the bus thread's `poll`: other threads write a byte when they
/// change the channel set or ask the thread to stop, so it reacts at once instead of on a
/// read timeout.
final class WakePipe: @unchecked Sendable {
    // Safe: the descriptors never change after init, and `read`/`write` on them are
    // thread-safe system calls; only the bus thread reads.
    let readEnd: Int32
    private let writeEnd: Int32

    init() {
        var ends: [Int32] = [-1, -1]
        // pipe2 is hidden behind _GNU_SOURCE in Glibc's Swift overlay: pipe, then fcntl.
        precondition(pipe(&ends) == 0, "pipe failed: errno \(errno)")
        for end in ends {
            _ = fcntl(end, F_SETFL, fcntl(end, F_GETFL) | O_NONBLOCK)
            _ = fcntl(end, F_SETFD, FD_CLOEXEC)
        }
        readEnd = ends[0]
        writeEnd = ends[1]
    }

    deinit {
        close(readEnd)
        close(writeEnd)
    }

    /// Wakes the bus thread. A full pipe (EAGAIN) means it is already due to wake.
    func wake() {
        var byte: UInt8 = 1
        _ = write(writeEnd, &byte, 1)
    }

    /// Empties the pipe after a wake-up.
    func drain() {
        var buffer = [UInt8](repeating: 0, count: 64)
        while read(readEnd, &buffer, buffer.count) > 0 {}
    }

    /// Sleeps up to `duration`, or until woken; returns whether it was woken.
    func sleep(upTo duration: Duration) -> Bool {
        var descriptor = pollfd(fd: readEnd, events: Int16(POLLIN), revents: 0)
        let woken = poll(&descriptor, 1, Int32(duration.milliseconds)) > 0
        if woken { drain() }
        return woken
    }
}
