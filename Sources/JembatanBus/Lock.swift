import Foundation

/// A pthread mutex guarding state shared with the bus thread. `Synchronization.Mutex` is
/// avoided because ThreadSanitizer on Linux reports false races on it (STYLE.md); this is the
/// same lock as JembatanServer's, kept internal to each module.
final class Lock: @unchecked Sendable {
    // Safe: the mutex is only touched through pthread calls, which are thread-safe.
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)

    init() { pthread_mutex_init(mutex, nil) }

    deinit {
        pthread_mutex_destroy(mutex)
        mutex.deallocate()
    }

    func withLock<T>(_ body: () throws -> T) rethrows -> T {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return try body()
    }
}
