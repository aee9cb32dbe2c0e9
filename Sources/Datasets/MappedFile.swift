import Glibc

/// A whole file mapped read-only into memory (mmap), unmapped in `deinit`. The one place Datasets calls mmap.
final class MappedFile {
    let path: String
    let bytes: UnsafeRawBufferPointer

    init(path: String) throws(DatasetError) {
        self.path = path
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            throw DatasetError(.missing, path: path, expected: "a readable file", found: String(cString: strerror(errno)))
        }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else {
            throw DatasetError(.ioFailure, path: path, expected: "file status", found: String(cString: strerror(errno)))
        }
        let size = Int(info.st_size)
        guard size > 0 else {
            throw DatasetError(.badCache, path: path, location: "byte 0", expected: "a frame cache header", found: "an empty file")
        }
        guard let base = mmap(nil, size, PROT_READ, MAP_SHARED, fd, 0), base != MAP_FAILED else {
            throw DatasetError(.ioFailure, path: path, expected: "a memory map", found: String(cString: strerror(errno)))
        }
        bytes = UnsafeRawBufferPointer(start: base, count: size)
    }

    deinit { munmap(UnsafeMutableRawPointer(mutating: bytes.baseAddress), bytes.count) }

    /// A little-endian integer at `offset` (the caller has checked the bounds).
    func load<T: FixedWidthInteger>(_ type: T.Type, at offset: Int) -> T {
        T(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: T.self))
    }
}
