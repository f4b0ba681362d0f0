import Foundation
import JembatanCore
import JembatanText

/// A short excerpt of a found message around its first match, as escaped HTML with every
/// occurrence of a query word inside `<mark>`.
enum SearchSnippet {
    static let radius = 40

    static func html(_ text: String, query: String) -> String {
        let words = WordSegmenter.words(in: query)
        let lowered = text.lowercased()
        // Lower-casing can change lengths in a few scripts; then fall back to the start.
        let comparable = lowered.count == text.count
        let characters = Array(text)
        let first =
            comparable
            ? words.compactMap { lowered.range(of: $0)?.lowerBound }.min().map { lowered.distance(from: lowered.startIndex, to: $0) } : nil
        let start = max(0, (first ?? 0) - radius)
        let end = min(characters.count, (first ?? 0) + radius * 2)
        var marked = Array(repeating: false, count: characters.count)
        if comparable {
            let lowerCharacters = Array(lowered)
            for word in words {
                let pattern = Array(word)
                guard !pattern.isEmpty, pattern.count <= lowerCharacters.count else { continue }
                for index in 0...(lowerCharacters.count - pattern.count)
                where Array(lowerCharacters[index..<index + pattern.count]) == pattern {
                    for offset in index..<index + pattern.count { marked[offset] = true }
                }
            }
        }
        var html = start > 0 ? "…" : ""
        var open = false
        for index in start..<end {
            if marked[index] != open {
                html += open ? "</mark>" : "<mark>"
                open.toggle()
            }
            html += HTMLText.escape(characters[index])
        }
        if open { html += "</mark>" }
        return html + (end < characters.count ? "…" : "")
    }
}
