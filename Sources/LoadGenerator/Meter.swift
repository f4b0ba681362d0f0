import Histogram

/// What one measurement window counted. Owned by the service thread.
struct Meter {
    /// Messages that reached the other side (chat: the peer's `message`; echo: the echo;
    /// MQTT: the peer's PUBLISH), and their latency from the send, in microseconds.
    var delivered = 0
    var latency = Histogram<UInt64>(highestTrackableValue: 600_000_000, numberOfSignificantValueDigits: .three)
    /// Sends confirmed to their sender (chat `ack`, the echo, MQTT PUBACK).
    var acknowledged = 0
    var sent = 0
    /// Sends a paced client skipped because its window was full.
    var skipped = 0
    /// `error` frames and other refusals.
    var errors = 0
    /// Conversations closed (chat).
    var sessionsClosed = 0

    mutating func recordDelivery(sentAt: UInt64, now: UInt64) {
        delivered += 1
        _ = latency.record(now > sentAt ? (now - sentAt) / 1000 : 0)
    }
}
