/// The one page: `Page/view.html` (its script and style inline, no outside resource), embedded in the binary at
/// build time. Its inline script and style run under a nonce made when the view starts.
enum ViewPage {
    static func html(nonce: String) -> [UInt8] {
        let text = String(decoding: PackageResources.view_html, as: UTF8.self)
        return Array(text.replacingOccurrences(of: "NONCE", with: nonce).utf8)
    }

    /// The policy for `page`: its own nonce for script and style, connections to this server only, no frames,
    /// no forms, no plugins.
    static func contentSecurityPolicy(_ page: [UInt8]) -> String {
        let text = String(decoding: page, as: UTF8.self)
        let nonce = text.range(of: "nonce=\"").map { r in String(text[r.upperBound...].prefix { $0 != "\"" }) } ?? ""
        return "default-src 'none'; script-src 'nonce-\(nonce)'; style-src 'nonce-\(nonce)'; connect-src 'self'; "
            + "img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
    }
}
