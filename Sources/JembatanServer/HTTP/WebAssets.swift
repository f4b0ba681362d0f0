import Foundation
import JembatanCore

/// The web pages (`Web/`): read once at start, served from memory. Pages have friendly paths
/// (`/`, `/staff`, …); their scripts and styles live under `/web/`.
struct WebAssets: Sendable {
    struct Asset: Sendable {
        let contentType: String
        let body: [UInt8]
    }

    /// Friendly path → file in the folder (the interpreter view is the staff page in its
    /// interpreter mode, chosen by the path).
    static let pages = [
        "/": "applicant.html", "/staff": "staff.html", "/interpreter": "staff.html", "/supervisor": "supervisor.html",
    ]

    /// Pages run only this origin's scripts and styles and talk only to this broker; no page
    /// may frame them (the token sits in their memory).
    static let securityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data: blob:; "
        + "base-uri 'none'; form-action 'none'; frame-ancestors 'none'"

    private static let types = [
        "html": "text/html; charset=utf-8", "js": "text/javascript; charset=utf-8", "css": "text/css; charset=utf-8",
        "svg": "image/svg+xml", "png": "image/png", "ico": "image/x-icon",
    ]

    /// Relative path ("js/chat.js") → asset.
    let files: [String: Asset]

    /// Every servable file under `directory` (nothing when it is nil or unreadable: the API
    /// still works, the pages answer 404).
    static func load(directory: String?) -> WebAssets {
        guard let directory, let walker = FileManager.default.enumerator(atPath: directory) else { return WebAssets(files: [:]) }
        var files: [String: Asset] = [:]
        while let relative = walker.nextObject() as? String {
            let ext = (relative as NSString).pathExtension.lowercased()
            guard let type = types[ext], !relative.hasPrefix("."),
                let data = FileManager.default.contents(atPath: (directory as NSString).appendingPathComponent(relative))
            else { continue }
            files[relative] = Asset(contentType: type, body: Array(data))
        }
        return WebAssets(files: files)
    }

    /// The reply for a GET of `path`, or nil when the path is not a page or an asset.
    func reply(for path: String) -> HTTPReply? {
        let name: String
        if let page = Self.pages[path] {
            name = page
        } else if path.hasPrefix("/web/") {
            name = String(path.dropFirst(5))
        } else {
            return nil
        }
        guard let asset = files[name] else { return .error(404, .not_found, "no such page") }
        let policy = asset.contentType.hasPrefix("text/html") ? Self.securityPolicy : nil
        return HTTPReply(status: 200, contentType: asset.contentType, body: asset.body, securityPolicy: policy)
    }
}
