import CWebSockets

extension BrokerLoop {
    /// Writes what each connection was given during this callback or tick, straight away, in
    /// one `send()` per connection. Asking for a writeable callback first cost two
    /// `epoll_ctl` calls and a loop turn per connection written to (README, "Load"). Where
    /// libwebsockets still holds part of an earlier write, or a close is pending, the frames
    /// wait for the writeable callback instead (libwebsockets calls it only while the
    /// connection is open); what the socket does not take now, libwebsockets keeps and sends
    /// when it can.
    func flushWrites() {
        guard !unflushed.isEmpty else { return }
        let written = unflushed
        unflushed = []
        for connection in written {
            connection.awaitingFlush = false
            guard !connection.isGone, connection.hasQueuedFrames else { continue }
            if connection.closeCode != nil || connection.peerClosed || lws_partial_buffered(connection.wsi) != 0 {
                lws_callback_on_writable(connection.wsi)
            } else if !connection.writeQueued() {
                connection.closeCode = .goingAway
                cws_drop(connection.wsi)
            }
        }
    }
}
