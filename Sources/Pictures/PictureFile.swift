import Foundation

/// The picture files `ottt synth --images` reads: Netpbm (PGM, PPM) and PNG, told apart by their first bytes.
public enum PictureFile {
    /// The file extensions of pictures.
    public static let extensions: Set<String> = PortableAnymap.extensions.union(PNGPicture.extensions)

    /// Whether `path` names a picture by its extension.
    public static func isPicture(_ path: String) -> Bool {
        extensions.contains((path as NSString).pathExtension.lowercased())
    }

    /// Reads a PGM, PPM or PNG file into linear grey intensities.
    public static func read(path: String) throws(PictureFileError) -> GrayImage {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw PictureFileError(file: path, offset: nil, expected: "a readable file", found: "none (missing or unreadable)")
        }
        return try decode([UInt8](data), file: path)
    }

    /// Decodes a whole file's bytes: PNG when they start with its signature or the name ends in .png, Netpbm
    /// otherwise.
    public static func decode(_ bytes: [UInt8], file: String) throws(PictureFileError) -> GrayImage {
        if bytes.starts(with: PNGPicture.signature)
            || PNGPicture.extensions.contains((file as NSString).pathExtension.lowercased()) {
            return try PNGPicture.decode(bytes, file: file)
        }
        return try PortableAnymap.decode(bytes, file: file)
    }
}

/// A picture file that could not be read: which file, where, what was expected and what was found.
public struct PictureFileError: Error, CustomStringConvertible, Equatable {
    public var file: String
    /// Byte offset of the problem, when it has one.
    public var offset: Int?
    public var expected: String
    public var found: String

    public init(file: String, offset: Int?, expected: String, found: String) {
        self.file = file
        self.offset = offset
        self.expected = expected
        self.found = found
    }

    public var description: String {
        let at = offset.map { " at byte \($0)" } ?? ""
        return "\(file)\(at): expected \(expected), found \(found)"
    }
}

