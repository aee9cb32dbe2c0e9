/// A reader that knows how far through its file it is (for progress lines with an ETA).
public protocol ReadProgress: AnyObject {
    /// Bytes of the file consumed so far and the file's size.
    var bytesRead: Int64 { get }
    var fileSize: Int64 { get }
}
