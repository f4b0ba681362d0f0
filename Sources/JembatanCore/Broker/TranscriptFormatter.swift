import Foundation
import JembatanText

/// Transcript exports: JSON for programs, plain text for people. In text, every name and
/// message sits inside Unicode isolates (FSI … PDI), so an Arabic line and a Latin line
/// each keep their own direction and never scramble their neighbours.
public struct TranscriptFormatter: Sendable {
    public let renderer: MessageRenderer

    public init(localizer: Localizer) { renderer = MessageRenderer(localizer: localizer) }

    static let isolateStart = "\u{2068}"
    static let isolateEnd = "\u{2069}"

    public func json(_ transcript: Transcript, locale: String) -> JSONValue {
        let record = transcript.session
        var session: JSONObject = [
            "id": .string(record.id.rawValue), "service": .string(record.service.rawValue),
            "language": .string(record.language), "state": .string(record.state.rawValue),
            "opened_at": .string(Timestamp.format(record.openedAt)),
        ]
        session["closed_at"] = JSONValue(record.closedAt.map(Timestamp.format))
        session["close_reason"] = JSONValue(record.closeReason)
        session["last_seq"] = JSONValue(record.lastSeq)
        let translations = Self.translations(in: transcript)
        return .object([
            "session": .object(session),
            "participants": .array(transcript.members.map(Broker.memberJSON)),
            "locale": .string(locale),
            "messages": .array(
                transcript.messages.map { stored in
                    // Originals list their translations' seqs, so a reader can pair them.
                    var frame = renderer.frame(stored, locale: locale).objectValue ?? [:]
                    if let pairs = translations.of[stored.seq] { frame["translations"] = .array(pairs.map { JSONValue($0.seq) }) }
                    return .object(frame)
                }),
        ])
    }

    public func text(_ transcript: Transcript, locale: String) -> String {
        let record = transcript.session
        let localizer = renderer.localizer
        var lines = [
            "Jembatan transcript \(record.id.rawValue)",
            "\(localizer.render("service.\(record.service.rawValue)", locale: locale)) · \(record.language) · \(Timestamp.format(record.openedAt))",
        ]
        for member in transcript.members {
            let role = localizer.render("role.\(member.role.rawValue)", locale: locale)
            let latin = Transliteration.latinIfNeeded(member.name).map { " [\($0)]" } ?? ""
            lines.append("  \(isolate(member.name))\(latin) (\(role))")
        }
        lines.append("")
        // Each original, then its translations indented beneath it (an interpreter's pairs).
        let translations = Self.translations(in: transcript)
        for stored in transcript.messages where !translations.isTranslation(stored) {
            lines.append(line(stored, locale: locale))
            for translation in translations.of[stored.seq] ?? [] {
                lines.append("    ↳ [\(translation.message.lang ?? "?")] " + line(translation, locale: locale))
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    private func line(_ stored: StoredMessage, locale: String) -> String {
        let frame = renderer.frame(stored, locale: locale).objectValue ?? [:]
        let text = frame["text"]?.stringValue ?? ""
        let who = stored.message.kind == .system ? "—" : isolate(stored.senderName ?? stored.message.sender?.rawValue ?? "?")
        var line = "#\(stored.seq) \(Timestamp.format(stored.message.createdAt)) \(who): \(isolate(text))"
        if let original = stored.message.translationOf { line += " (→ #\(original))" }
        if stored.message.staffOnly { line += " [" + renderer.localizer.render("ui.staff.notes", locale: locale) + "]" }
        return line
    }

    /// Translations grouped under the seq they translate; one whose original is not in the
    /// transcript (not visible to this reader) stands on its own.
    static func translations(in transcript: Transcript) -> (of: [Int: [StoredMessage]], isTranslation: (StoredMessage) -> Bool) {
        let present = Set(transcript.messages.map(\.seq))
        let grouped = Dictionary(grouping: transcript.messages.filter { $0.message.translationOf.map(present.contains) ?? false }) {
            $0.message.translationOf!
        }
        return (grouped, { $0.message.translationOf.map(present.contains) ?? false })
    }

    private func isolate(_ text: String) -> String { Self.isolateStart + text + Self.isolateEnd }
}
