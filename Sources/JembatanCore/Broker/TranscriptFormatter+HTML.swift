import Foundation
import JembatanText

/// The HTML export: a page a person can read, print or archive. Every message gets
/// `dir="auto"` and its `lang`, so each line takes its own direction; the page itself takes
/// the reader's locale and direction; a translation sits beside its original.
extension TranscriptFormatter {
    public func html(_ transcript: Transcript, locale: String) -> String {
        let localizer = renderer.localizer
        let record = transcript.session
        let pageDirection = TextSanitizer.baseDirection(of: localizer.render("service.general", locale: locale)).rawValue
        let translations = Self.translations(in: transcript)
        let dates = localizer.formatter(locale)
        var rows: [String] = []
        for stored in transcript.messages where !translations.isTranslation(stored) {
            rows.append(row(stored, translations: translations.of[stored.seq] ?? [], locale: locale, dates: dates))
        }
        let members = transcript.members.map { member in
            let latin = Transliteration.latinIfNeeded(member.name).map { " <span lang=\"en\">[\(escape($0))]</span>" } ?? ""
            return
                "<li><bdi>\(escape(member.name))</bdi>\(latin) (\(escape(localizer.render("role.\(member.role.rawValue)", locale: locale))))</li>"
        }
        return """
            <!doctype html>
            <html lang="\(escape(locale))" dir="\(pageDirection)">
            <head><meta charset="utf-8"><title>\(escape(record.id.rawValue))</title>
            <style>body{font-family:sans-serif;max-width:60rem;margin:auto;padding:1rem}
            table{border-collapse:collapse;width:100%}td{border-block-end:1px solid #ddd;padding:.4rem;vertical-align:top}
            .system{color:#555;font-style:italic}.seq,.ts{color:#777;white-space:nowrap}</style></head>
            <body>
            <h1>\(escape(localizer.render("service.\(record.service.rawValue)", locale: locale))) · <bdi>\(escape(record.id.rawValue))</bdi></h1>
            <ul>\(members.joined())</ul>
            <table>
            \(rows.joined(separator: "\n"))
            </table>
            </body>
            </html>

            """
    }

    private func row(_ stored: StoredMessage, translations: [StoredMessage], locale: String, dates: LocaleFormatter) -> String {
        let frame = renderer.frame(stored, locale: locale).objectValue ?? [:]
        let text = frame["text"]?.stringValue ?? ""
        let lang = frame["lang"]?.stringValue ?? locale
        let system = stored.message.kind == .system
        let who = system ? "" : "<bdi>\(escape(stored.senderName ?? ""))</bdi>"
        let beside = translations.map { translation in
            let translated = renderer.frame(translation, locale: locale).objectValue ?? [:]
            return
                "<p dir=\"auto\" lang=\"\(escape(translated["lang"]?.stringValue ?? ""))\">\(escape(translated["text"]?.stringValue ?? ""))</p>"
        }
        return "<tr\(system ? " class=\"system\"" : "")><td class=\"seq\">\(escape(dates.number(Double(stored.seq))))</td>"
            + "<td class=\"ts\"><time datetime=\"\(Timestamp.format(stored.message.createdAt))\">"
            + "\(escape(dates.dateTime(stored.message.createdAt)))</time></td><td>\(who)</td>"
            + "<td><p dir=\"auto\" lang=\"\(escape(lang))\">\(escape(text))</p></td><td>\(beside.joined())</td></tr>"
    }

    func escape(_ text: String) -> String { HTMLText.escape(text) }
}
