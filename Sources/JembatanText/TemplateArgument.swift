/// A value for a named argument of a template: text, or a number (which plural and number
/// arguments need). Encoded as a plain JSON string or number.
public enum TemplateArgument: Sendable, Hashable, Codable {
    case string(String)
    case number(Double)

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let number = try? container.decode(Double.self) {
            self = .number(number)
        } else {
            self = .string(try container.decode(String.self))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .string(let text): try container.encode(text)
        case .number(let number): try container.encode(number)
        }
    }
}

extension TemplateArgument: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByFloatLiteral {
    /// `["service": "Visa"]`
    public init(stringLiteral value: String) { self = .string(value) }
    /// `["position": 3]`
    public init(integerLiteral value: Int) { self = .number(Double(value)) }
    /// `["rating": 4.5]`
    public init(floatLiteral value: Double) { self = .number(value) }
}
