import CWebSockets

extension ClientLoop {
    /// Service thread: frames were queued on `connection`. Inside a callback they are written
    /// when it returns; elsewhere lws is asked for a writeable callback.
    func requestWrite(_ connection: Connection) {
        if callbackDepth > 0 {
            guard !connection.awaitingFlush else { return }
            connection.awaitingFlush = true
            unflushed.append(connection)
        } else if let wsi = connection.wsi {
            lws_callback_on_writable(wsi)
        }
    }

    /// Writes the frames queued during the callback now. Waiting for a writeable callback
    /// per frame had cost two `epoll_ctl` calls and a loop turn each (README, "Load"). A
    /// close, a connection whose earlier write lws still holds in part, or one the server
    /// has closed, go through the writeable callback as before.
    func flushWrites() {
        guard !unflushed.isEmpty else { return }
        let pending = unflushed
        unflushed = []
        for connection in pending {
            connection.awaitingFlush = false
            guard let wsi = connection.wsi, connection.isOpen else { continue }
            if !connection.peerClosed { writeFrames(connection, wsi) }
            if connection.hasOutgoing { lws_callback_on_writable(wsi) }
        }
    }

    private func writeFrames(_ connection: Connection, _ wsi: OpaquePointer) {
        while lws_partial_buffered(wsi) == 0, case .frame(let bytes, let binary, let first, let final) = connection.nextFrame() {
            let written = bytes.withUnsafeBufferPointer { buffer in
                cws_write_ws(wsi, buffer.baseAddress, buffer.count, binary ? 1 : 0, first ? 1 : 0, final ? 1 : 0)
            }
            if written < bytes.count {
                cws_kill_async(wsi)
                return
            }
        }
    }
}
