import Foundation
import JembatanCore
import JembatanText

/// What the web pages need besides the WebSocket: their strings and, in demo mode, a login.
extension BrokerLoop {
    /// Key prefixes the pages format themselves.
    static let pageKeyPrefixes = ["ui.", "role.", "service.", "close.", "error."]

    /// `GET /locales/<tag>.json`: the negotiated locale, its direction and digits, the raw ICU
    /// patterns the pages need, and every shipped locale by its own name.
    func pageStrings(_ file: String) -> HTTPReply {
        guard file.hasSuffix(".json") else { return .error(404, .not_found, "no such locale file") }
        let locale = localizer.negotiate([String(file.dropLast(5))])
        let (chosen, patterns) = localizer.catalog.patterns(for: locale, prefixes: Self.pageKeyPrefixes)
        let languages = localizer.catalog.locales.map { tag -> JSONValue in
            .object(["tag": .string(tag), "name": .string(localizer.catalog.displayName(of: tag))])
        }
        // The digits this broker writes in that locale (Arabic-Indic in Arabic unless --digits latin):
        // browsers disagree on Arabic's default numbering, so the pages copy the broker's.
        let formatter = localizer.formatter(chosen)
        let glyphs = (0...9).map { formatter.number(Double($0)) }
        let digits = glyphs.allSatisfy { $0.count == 1 } ? glyphs.joined() : "0123456789"
        return .json(
            200,
            .object([
                "locale": .string(chosen), "dir": .string(TextDirection(locale: chosen).rawValue),
                "time_zone": .string(configuration.timeZone), "digits": .string(digits),
                "languages": .array(languages),
                "strings": .object(JSONObject(patterns.sorted { $0.key < $1.key }.map { ($0.key, JSONValue.string($0.value)) })),
            ]))
    }

    /// `GET /api/demo`: whether the demo login is on (the pages show it only then).
    func demoState() -> HTTPReply {
        configuration.demoLogin
            ? .json(200, .object(["demo": true])) : .error(404, .not_found, "the demo login is off (serve --demo turns it on)")
    }

    /// `POST /api/demo/token` with `{"role","name","langs","locale"?}`: a token for anyone, in
    /// demo mode only. Eight hours, a fresh participant id each time.
    func demoToken(_ body: [UInt8]) -> HTTPReply {
        guard configuration.demoLogin else { return .error(404, .not_found, "the demo login is off (serve --demo turns it on)") }
        guard case .object(let object)? = try? JSONDecoder().decode(JSONValue.self, from: Data(body)),
            let roleName = object["role"]?.stringValue, let role = Role(rawValue: roleName), role != .system
        else { return .error(400, .bad_request, "role must be applicant, officer, counsellor, interpreter or supervisor") }
        let name = (object["name"]?.stringValue ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        guard (1...80).contains(name.count) else { return .error(400, .bad_request, "name must be 1 to 80 characters") }
        let langs = (object["langs"]?.arrayValue ?? []).compactMap(\.stringValue)
        guard (1...6).contains(langs.count), langs.allSatisfy({ LanguageTag.isWellFormed($0) }) else {
            return .error(400, .bad_request, "langs must be 1 to 6 language tags")
        }
        let locale = object["locale"]?.stringValue.map { localizer.negotiate([$0]) } ?? localizer.negotiate([langs[0]])
        let suffix = String(UInt64.random(in: 0...UInt64.max), radix: 36)
        let claims = TokenClaims(
            sub: "demo-\(role.rawValue)-\(suffix)", role: role.rawValue, name: name, langs: langs, locale: locale,
            capacity: role == .applicant || role == .supervisor ? nil : 3, exp: Int(Date().timeIntervalSince1970) + 8 * 3600)
        return .json(201, .object(["token": .string(tokens.sign(claims)), "id": .string(claims.sub)]))
    }
}
