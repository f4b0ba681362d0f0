import CWebSockets
import JembatanCore

/// Hello deadlines and keepalive pings, checked by one sweep a second instead of a
/// libwebsockets timer per connection. With libuv 1.44, lws 4.1 re-arms its one libuv timer
/// with 0 ms whenever its next timer is under a millisecond away, and libuv runs such a timer
/// again in the same pass: each connection's timer cost up to 1 ms of spinning on the service
/// thread, and thousands of them due together made the latency tail (README, "Load").
extension BrokerLoop {
    /// The loop's cached clock (ms): no system call.
    var loopMilliseconds: UInt64 { uvLoop.map { uv_now($0) } ?? 0 }

    func heard(_ connection: Connection) {
        connection.lastHeard = loopMilliseconds
        connection.pingedAt = nil
    }

    /// Closes connections whose `hello` is late (4401), pings the silent, and drops those
    /// that leave a ping unanswered for `hangupSeconds - pingSeconds`.
    func sweepConnections() {
        let now = loopMilliseconds
        let ping = UInt64(configuration.pingSeconds) * 1000
        let answerWithin = UInt64(max(configuration.hangupSeconds - configuration.pingSeconds, 1)) * 1000
        var dropped = false
        for connection in connections.values where connection.closeCode == nil {
            if let deadline = connection.helloDeadline, now >= deadline {
                connection.helloDeadline = nil
                perform(broker.helloDeadlinePassed(connection.id))
            }
            guard ping > 0, connection.closeCode == nil else { continue }
            if let pingedAt = connection.pingedAt {
                guard now >= pingedAt + answerWithin else { continue }
                // A close frame would never be read either.
                logger.info("dropping a silent connection", metadata: ["connection.id": "\(connection.id)"])
                metrics.error("peer_silent")
                connection.dropQueue()
                connection.closeCode = .goingAway
                cws_drop(connection.wsi)
                dropped = true
            } else if now >= connection.lastHeard + ping {
                connection.pingedAt = now
                connection.enqueuePing()
                lws_callback_on_writable(connection.wsi)
            }
        }
        // lws arms its timers again only after it has serviced something; the drops are
        // timers due now, so wake it.
        if dropped, let context { lws_cancel_service(context) }
    }
}
