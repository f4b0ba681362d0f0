import Foundation

/// The HTTP Accept-Language header (RFC 9110, section 12.5.4), reduced to what negotiation needs.
enum AcceptLanguage {
    /// More entries than any browser sends; a bound on the work a hostile header can cause.
    static let maxEntries = 32

    /// The language ranges of `header`, best first: by q-value, ties in header order.
    /// Ranges with q=0 ("not acceptable") or an unreadable q-value are left out.
    static func rankedTags(_ header: String) -> [String] {
        var ranked: [(tag: String, quality: Double, order: Int)] = []
        for (order, entry) in header.split(separator: ",", omittingEmptySubsequences: true).prefix(maxEntries).enumerated() {
            let fields = entry.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
            guard let tag = fields.first, !tag.isEmpty else { continue }
            var quality = 1.0
            for parameter in fields.dropFirst() {
                let pair = parameter.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
                guard pair.count == 2, pair[0].lowercased() == "q" else { continue }
                guard let value = Double(pair[1]), (0...1).contains(value) else { quality = 0; break }
                quality = value
            }
            if quality > 0 { ranked.append((tag, quality, order)) }
        }
        ranked.sort { $0.quality != $1.quality ? $0.quality > $1.quality : $0.order < $1.order }
        return ranked.map(\.tag)
    }
}
