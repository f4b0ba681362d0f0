#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// A pthread mutex with one condition variable, for state shared between callers and the
/// service thread. Not `Synchronization.Mutex`: on Linux ThreadSanitizer reports false
/// races on it (STYLE.md), and a condition variable is needed for blocking receives anyway.
final class ConditionLock: @unchecked Sendable {  // safe: every access goes through the mutex
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private let condition = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)

    init() {
        pthread_mutex_init(mutex, nil)
        // Monotonic clock, so deadlines survive wall-clock changes.
        var attributes = pthread_condattr_t()
        pthread_condattr_init(&attributes)
        #if !canImport(Darwin)
            pthread_condattr_setclock(&attributes, CLOCK_MONOTONIC)
        #endif
        pthread_cond_init(condition, &attributes)
        pthread_condattr_destroy(&attributes)
    }

    deinit {
        pthread_cond_destroy(condition)
        pthread_mutex_destroy(mutex)
        condition.deallocate()
        mutex.deallocate()
    }

    func withLock<T>(_ body: () throws -> T) rethrows -> T {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return try body()
    }

    /// Wakes every waiter; call with the lock held or right after changing guarded state.
    func broadcast() {
        pthread_cond_broadcast(condition)
    }

    /// Waits (lock held) until `deadline` (monotonic nanoseconds) or a broadcast. Returns
    /// false once the deadline has passed. Callers re-check their predicate in a loop.
    func wait(untilNanoseconds deadline: UInt64) -> Bool {
        let now = monotonicNanoseconds()
        guard deadline > now else { return false }
        #if canImport(Darwin)
            var relative = timespec(
                tv_sec: Int((deadline - now) / 1_000_000_000),
                tv_nsec: Int((deadline - now) % 1_000_000_000))
            pthread_cond_timedwait_relative_np(condition, mutex, &relative)
        #else
            var absolute = timespec(
                tv_sec: Int(deadline / 1_000_000_000), tv_nsec: Int(deadline % 1_000_000_000))
            pthread_cond_timedwait(condition, mutex, &absolute)
        #endif
        return true
    }
}

/// Nanoseconds on the monotonic clock (the one `ConditionLock.wait` measures deadlines on).
func monotonicNanoseconds() -> UInt64 {
    var now = timespec()
    clock_gettime(CLOCK_MONOTONIC, &now)
    return UInt64(now.tv_sec) * 1_000_000_000 + UInt64(now.tv_nsec)
}

/// The monotonic deadline `timeout` from now.
func deadline(after timeout: Duration) -> UInt64 {
    let (seconds, attoseconds) = timeout.components
    // Clamped to ten years so an effectively infinite timeout cannot overflow.
    let clamped = min(max(0, seconds), 10 * 365 * 86_400)
    let nanoseconds = clamped * 1_000_000_000 + max(0, attoseconds) / 1_000_000_000
    return monotonicNanoseconds() &+ UInt64(nanoseconds)
}
