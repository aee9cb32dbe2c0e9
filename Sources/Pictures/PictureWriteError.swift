/// A picture (PNG or SVG) that could not be written: its pixels did not compress, or its file did not write.
public enum PictureWriteError: Error, CustomStringConvertible, Equatable {
    case compression(String)
    case write(path: String, reason: String)

    public var description: String {
        switch self {
        case .compression(let why): "cannot compress PNG data: \(why)"
        case .write(let path, let reason): "cannot write \(path): \(reason)"
        }
    }
}
