/// One stream of an AEDAT 4 file, as its description XML declares it.
public struct AEDAT4Stream: Sendable, Equatable {
    public var id: Int32
    /// EVTS, FRME, IMUS, TRIG, …
    public var typeIdentifier: String
    public var outputName: String
    public var compression: String
    public var sizeX: Int?
    public var sizeY: Int?
    public var source: String?
    public var tsOffset: Int64?

    public init(id: Int32, typeIdentifier: String, outputName: String = "", compression: String = "",
                sizeX: Int? = nil, sizeY: Int? = nil, source: String? = nil, tsOffset: Int64? = nil) {
        (self.id, self.typeIdentifier, self.outputName, self.compression) = (id, typeIdentifier, outputName, compression)
        (self.sizeX, self.sizeY, self.source, self.tsOffset) = (sizeX, sizeY, source, tsOffset)
    }
}

/// The IOHeader's description: `<dv version="2.0"><node name="outInfo">` with one `<node name="<id>">` per stream
/// and its `info` child (docs/FORMATS.md §1.3). DV and dv-processing differ in paths and attributes, so the parser
/// only looks at node names and `attr` keys and ignores everything else.
enum AEDAT4Description {
    static func parse(_ xml: String) -> [AEDAT4Stream] {
        var streams: [Int32: AEDAT4Stream] = [:]
        var order: [Int32] = []
        var path: [String] = []
        var scanner = XMLScanner(Array(xml.utf8))
        while let tag = scanner.nextTag() {
            if tag.closing {
                if tag.name == "node", !path.isEmpty { path.removeLast() }
                continue
            }
            if tag.name == "node" {
                if !tag.selfClosing { path.append(tag.attributes["name"] ?? "") }
                continue
            }
            guard tag.name == "attr", !tag.selfClosing, let key = tag.attributes["key"] else { continue }
            let value = scanner.text(until: "</attr>")
            guard let at = path.lastIndex(of: "outInfo"), at + 1 < path.count, let id = Int32(path[at + 1]) else {
                continue
            }
            if streams[id] == nil {
                streams[id] = AEDAT4Stream(id: id, typeIdentifier: "")
                order.append(id)
            }
            let depth = path.count - at
            if depth == 2 {
                switch key {
                case "typeIdentifier": streams[id]!.typeIdentifier = value
                case "originalOutputName": streams[id]!.outputName = value
                case "compression": streams[id]!.compression = value
                default: break
                }
            } else if depth == 3 && path.last == "info" {
                switch key {
                case "sizeX": streams[id]!.sizeX = Int(value)
                case "sizeY": streams[id]!.sizeY = Int(value)
                case "source": streams[id]!.source = value
                case "tsOffset": streams[id]!.tsOffset = Int64(value)
                default: break
                }
            }
        }
        return order.map { streams[$0]! }
    }

    /// The description dv-processing writes for `streams`.
    static func make(_ streams: [AEDAT4Stream]) -> String {
        func attr(_ key: String, _ type: String, _ value: String, indent: Int) -> String {
            String(repeating: " ", count: indent) + "<attr key=\"\(key)\" type=\"\(type)\">\(xmlEscaped(value))</attr>\n"
        }
        var xml = "<dv version=\"2.0\">\n    <node name=\"outInfo\" path=\"/outInfo/\">\n"
        for s in streams {
            xml += "        <node name=\"\(s.id)\" path=\"/outInfo/\(s.id)/\">\n"
            xml += attr("compression", "string", s.compression, indent: 12)
            xml += attr("originalModuleName", "string", "ottt", indent: 12)
            xml += attr("originalOutputName", "string", s.outputName, indent: 12)
            xml += attr("typeDescription", "string", "Array of events (polarity ON/OFF).", indent: 12)
            xml += attr("typeIdentifier", "string", s.typeIdentifier, indent: 12)
            xml += "            <node name=\"info\" path=\"/outInfo/\(s.id)/info/\">\n"
            if let x = s.sizeX { xml += attr("sizeX", "int", String(x), indent: 16) }
            if let y = s.sizeY { xml += attr("sizeY", "int", String(y), indent: 16) }
            if let source = s.source { xml += attr("source", "string", source, indent: 16) }
            if let offset = s.tsOffset { xml += attr("tsOffset", "long", String(offset), indent: 16) }
            xml += "            </node>\n        </node>\n"
        }
        xml += "    </node>\n</dv>\n"
        return xml
    }
}

/// Just enough XML: tags with quoted attributes, and text up to a closing tag. Comments, declarations and
/// anything malformed are stepped over; it never fails.
struct XMLScanner {
    struct Tag {
        var name: String
        var attributes: [String: String]
        var closing: Bool
        var selfClosing: Bool
    }

    private let bytes: [UInt8]
    private var i = 0

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    mutating func nextTag() -> Tag? {
        while i < bytes.count {
            guard bytes[i] == UInt8(ascii: "<") else { i += 1; continue }
            guard let end = bytes[i...].firstIndex(of: UInt8(ascii: ">")) else { i = bytes.count; return nil }
            let inner = Array(bytes[(i + 1)..<end])
            i = end + 1
            guard let first = inner.first, first != UInt8(ascii: "!"), first != UInt8(ascii: "?") else { continue }
            return Self.tag(inner)
        }
        return nil
    }

    /// The text from here up to `closing` (entities decoded); moves past `closing`.
    mutating func text(until closing: String) -> String {
        let c = Array(closing.utf8)
        var j = i
        while j + c.count <= bytes.count && !bytes[j..<(j + c.count)].elementsEqual(c) { j += 1 }
        let text = String(decoding: bytes[i..<min(j, bytes.count)], as: UTF8.self)
        i = min(j + c.count, bytes.count)
        return Self.unescape(text)
    }

    private static func tag(_ inner: [UInt8]) -> Tag {
        var s = inner[...]
        let closing = s.first == UInt8(ascii: "/")
        if closing { s = s.dropFirst() }
        let selfClosing = s.last == UInt8(ascii: "/")
        if selfClosing { s = s.dropLast() }
        let isSpace: (UInt8) -> Bool = { $0 == 0x20 || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D }
        let nameEnd = s.firstIndex(where: isSpace) ?? s.endIndex
        let name = String(decoding: s[..<nameEnd], as: UTF8.self)
        var attributes: [String: String] = [:]
        var rest = s[nameEnd...]
        while let eq = rest.firstIndex(of: UInt8(ascii: "=")) {
            let key = String(decoding: rest[..<eq], as: UTF8.self).trimmingCharacters(isSpace)
            var after = rest[(eq + 1)...].drop(while: isSpace)
            guard let quote = after.first, quote == UInt8(ascii: "\"") || quote == UInt8(ascii: "'") else { break }
            after = after.dropFirst()
            guard let close = after.firstIndex(of: quote) else { break }
            attributes[key] = unescape(String(decoding: after[..<close], as: UTF8.self))
            rest = after[(close + 1)...]
        }
        return Tag(name: name, attributes: attributes, closing: closing, selfClosing: selfClosing)
    }

    static func unescape(_ s: String) -> String {
        guard s.contains("&") else { return s }
        return s.replacing("&lt;", with: "<").replacing("&gt;", with: ">").replacing("&quot;", with: "\"")
            .replacing("&apos;", with: "'").replacing("&amp;", with: "&")
    }
}

extension String {
    fileprivate func trimmingCharacters(_ isSpace: (UInt8) -> Bool) -> String {
        let u = Array(utf8)
        guard let a = u.firstIndex(where: { !isSpace($0) }), let b = u.lastIndex(where: { !isSpace($0) }) else { return "" }
        return String(decoding: u[a...b], as: UTF8.self)
    }
}
