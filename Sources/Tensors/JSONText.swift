import Foundation

/// `s` as a JSON string literal, quotes included: `"`, `\`, newline, carriage return and tab escaped by name, other
/// control characters as `\u00XX`, everything else as it is (JSON text is UTF-8). The one JSON string writer of the
/// project: safetensors headers, prediction records, the browser view's messages.
public func jsonQuoted(_ s: String) -> String {
    var out = "\""
    for u in s.unicodeScalars {
        switch u {
        case "\"": out += "\\\""
        case "\\": out += "\\\\"
        case "\n": out += "\\n"
        case "\r": out += "\\r"
        case "\t": out += "\\t"
        default:
            if u.value < 0x20 { out += String(format: "\\u%04x", u.value) } else { out.unicodeScalars.append(u) }
        }
    }
    return out + "\""
}
