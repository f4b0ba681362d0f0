/// Escaping for text placed in HTML (exports, search snippets): the five characters that
/// could end an element or an attribute.
public enum HTMLText {
    public static func escape(_ character: Character) -> String {
        switch character {
        case "&": "&amp;"
        case "<": "&lt;"
        case ">": "&gt;"
        case "\"": "&quot;"
        case "'": "&#39;"
        default: String(character)
        }
    }

    public static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for character in text { out += escape(character) }
        return out
    }
}
