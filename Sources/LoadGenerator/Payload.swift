/// The one message every mode sends: a chat `send` frame. The echo mode sends the same bytes
/// to the floor and the MQTT mode publishes them, so payload sizes match across modes.
/// `client_msg_id` is `<sender index>-<counter>`; `text` starts with the send time in
/// monotonic nanoseconds, then filler up to the requested text size.
struct Payload {
    let textSize: Int

    func frame(sender: Int, counter: Int, session: String, now: UInt64) -> [UInt8] {
        var text = String(now) + ";"
        if text.utf8.count < textSize { text += String(repeating: "x", count: textSize - text.utf8.count) }
        let frame =
            #"{"type":"send","id":"m\#(counter)","session":"\#(session)","client_msg_id":"\#(sender)-\#(counter)","text":"\#(text)"}"#
        return Array(frame.utf8)
    }

    /// Who sent a frame built by ``frame(sender:counter:session:now:)`` (or a broker `message`
    /// carrying it) and when; nil for anything else (system messages have no client_msg_id).
    static func origin(of bytes: [UInt8]) -> (sender: Int, sentAt: UInt64)? {
        guard let id = JSONScan.stringRange("client_msg_id", in: bytes),
            let sender = JSONScan.leadingNumber(bytes[id]),
            let text = JSONScan.stringRange("text", in: bytes),
            let sentAt = JSONScan.leadingNumber(bytes[text])
        else { return nil }
        return (Int(sender), sentAt)
    }
}
