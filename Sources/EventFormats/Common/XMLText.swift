/// Text made safe for XML content and attribute values (`&`, `<`, `>`, `"`): the AEDAT 4 stream description
/// writes it.
public func xmlEscaped(_ text: String) -> String {
    var out = ""
    for c in text {
        switch c {
        case "&": out += "&amp;"
        case "<": out += "&lt;"
        case ">": out += "&gt;"
        case "\"": out += "&quot;"
        default: out.append(c)
        }
    }
    return out
}
