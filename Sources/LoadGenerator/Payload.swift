/// The one message every mode sends: a chat `send` frame. The echo mode sends the same bytes
/// to the floor and the MQTT mode publishes them, so payload sizes match across modes.
/// `client_msg_id` is `<sender index>-<counter>`; `text` starts with the send time in
/// monotonic nanoseconds, then filler up to the requested text size.
struct Payload {
    let textSize: Int

    func frame(sender: Int, counter: Int, session: String, now: UInt64) -> [UInt8] {
        // Built as bytes: string interpolation and padding had been a tenth of the generator.
        var frame: [UInt8] = []
        frame.reserveCapacity(96 + session.utf8.count + textSize)
        frame += #"{"type":"send","id":"m"#.utf8
        frame += String(counter).utf8
        frame += #"","session":""#.utf8
        frame += session.utf8
        frame += #"","client_msg_id":""#.utf8
        frame += String(sender).utf8
        frame.append(UInt8(ascii: "-"))
        frame += String(counter).utf8
        frame += #"","text":""#.utf8
        let textStart = frame.count
        frame += String(now).utf8
        frame.append(UInt8(ascii: ";"))
        let written = frame.count - textStart
        if written < textSize { frame += repeatElement(UInt8(ascii: "x"), count: textSize - written) }
        frame += #""}"#.utf8
        return frame
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
