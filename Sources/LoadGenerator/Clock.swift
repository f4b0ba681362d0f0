import Foundation

/// Monotonic nanoseconds: send times travel inside payloads and are compared on receipt, in
/// the same process, so wall-clock jumps must not matter.
func monotonicNow() -> UInt64 {
    var now = timespec()
    clock_gettime(CLOCK_MONOTONIC, &now)
    return UInt64(now.tv_sec) * 1_000_000_000 + UInt64(now.tv_nsec)
}
