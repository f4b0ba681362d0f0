/// Removes explicit bidi controls that do not form a proper pair.
///
/// An unmatched RLO or RLE in a chat message reverses or re-embeds everything that follows it
/// in the reader's view — including text that is not the sender's ("Trojan Source" tricks).
/// Properly nested pairs are harmless and sometimes needed (an Arabic quote inside English),
/// so they stay. The matching follows UAX #9 (rules X1–X8):
/// - LRE RLE LRO RLO open an embedding, closed by PDF; a PDF inside an isolate cannot close
///   an embedding opened outside it.
/// - LRI RLI FSI open an isolate, closed by PDI; a PDI also ends embeddings left open inside
///   its isolate, so those openers count as unmatched.
/// - A paragraph separator (Bidi_Class B: LF, CR, FS, GS, RS, NEL, PS) ends everything open.
enum BidiControls {
    static let embeddingOpeners: ClosedRange<UInt32> = 0x202A...0x202E  // LRE RLE PDF LRO RLO
    static let popDirectionalFormatting: UInt32 = 0x202C
    static let isolateOpeners: ClosedRange<UInt32> = 0x2066...0x2068  // LRI RLI FSI
    static let popDirectionalIsolate: UInt32 = 0x2069

    /// True for any of the nine explicit embedding, override and isolate controls.
    static func isExplicitControl(_ scalar: Unicode.Scalar) -> Bool {
        embeddingOpeners.contains(scalar.value) || (0x2066...0x2069).contains(scalar.value)
    }

    static func isParagraphSeparator(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x0A, 0x0D, 0x1C...0x1E, 0x85, 0x2029: return true
        default: return false
        }
    }

    /// `text` without its unpaired explicit bidi controls; untouched when it has none.
    static func removingUnpaired(from text: String) -> String {
        guard text.unicodeScalars.contains(where: isExplicitControl) else { return text }
        let scalars = Array(text.unicodeScalars)
        var dropped = [Bool](repeating: false, count: scalars.count)
        var open: [(index: Int, isIsolate: Bool)] = []

        for (index, scalar) in scalars.enumerated() {
            let value = scalar.value
            if value == popDirectionalFormatting {
                if let last = open.last, !last.isIsolate {
                    open.removeLast()
                } else {
                    dropped[index] = true
                }
            } else if embeddingOpeners.contains(value) {
                open.append((index, false))
            } else if isolateOpeners.contains(value) {
                open.append((index, true))
            } else if value == popDirectionalIsolate {
                if let isolate = open.lastIndex(where: \.isIsolate) {
                    for inner in open[(isolate + 1)...] { dropped[inner.index] = true }
                    open.removeSubrange(isolate...)
                } else {
                    dropped[index] = true
                }
            } else if isParagraphSeparator(scalar) {
                for opener in open { dropped[opener.index] = true }
                open.removeAll()
            }
        }
        for opener in open { dropped[opener.index] = true }

        var result = String.UnicodeScalarView()
        for (index, scalar) in scalars.enumerated() where !dropped[index] { result.append(scalar) }
        return String(result)
    }
}
