internal import CHDF5
internal import HDF5Macros
#if canImport(Glibc)
import Glibc
#endif

/// Datasets: written whole (32-bit floats, 64-bit integers, variable-length UTF-8 strings, as h5py writes them),
/// read whole into an `HDF5Dataset`.
extension HDF5Group {
    /// Writes 32-bit floats of `shape` ([] for a scalar); `compress` deflates them (gzip level 4, one chunk).
    public func write(_ name: String, floats: [Float], shape: [Int], compress: Bool = false) throws(HDF5Error) {
        try checkCount(name, floats.count, shape)
        try floats.withUnsafeBufferPointer { (b) throws(HDF5Error) in
            try write(name, fileType: ottt_h5t_ieee_f32le(), memoryType: ottt_h5t_native_float(), shape: shape,
                      compress: compress, bytes: UnsafeRawPointer(b.baseAddress))
        }
    }

    /// Writes 64-bit integers of `shape` ([] for a scalar).
    public func write(_ name: String, integers: [Int64], shape: [Int]) throws(HDF5Error) {
        try checkCount(name, integers.count, shape)
        try integers.withUnsafeBufferPointer { (b) throws(HDF5Error) in
            try write(name, fileType: ottt_h5t_std_i64le(), memoryType: ottt_h5t_native_int64(), shape: shape,
                      compress: false, bytes: UnsafeRawPointer(b.baseAddress))
        }
    }

    /// Writes one variable-length UTF-8 string as a scalar dataset.
    public func write(_ name: String, string: String) throws(HDF5Error) {
        try write(name, strings: [string], shape: [])
    }

    /// Writes variable-length UTF-8 strings of `shape`.
    public func write(_ name: String, strings: [String], shape: [Int]) throws(HDF5Error) {
        try checkCount(name, strings.count, shape)
        let type = try stringType(name)
        defer { _ = H5Tclose(type) }
        let pointers: [UnsafeMutablePointer<CChar>?] = strings.map { strdup($0) }
        defer { for p in pointers { free(p) } }
        try pointers.withUnsafeBufferPointer { (b) throws(HDF5Error) in
            try write(name, fileType: type, memoryType: type, shape: shape, compress: false,
                      bytes: UnsafeRawPointer(b.baseAddress))
        }
    }

    /// Reads dataset `name` whole.
    public func read(_ name: String) throws(HDF5Error) -> HDF5Dataset {
        let kind = try kind(of: name)
        guard kind == .dataset else {
            throw failure(name, kind == .absent ? .missing : .wrongType(expected: "a dataset", found: "\(kind)"))
        }
        let dataset = H5Dopen2(id, name, ottt_h5p_default())
        guard dataset >= 0 else { throw failure(name, .callFailed("H5Dopen2")) }
        defer { _ = H5Dclose(dataset) }
        let space = H5Dget_space(dataset)
        guard space >= 0 else { throw failure(name, .callFailed("H5Dget_space")) }
        defer { _ = H5Sclose(space) }
        let rank = H5Sget_simple_extent_ndims(space)
        guard rank >= 0 else { throw failure(name, .callFailed("H5Sget_simple_extent_ndims")) }
        var dims = [hsize_t](repeating: 0, count: Int(rank))
        if rank > 0 { guard H5Sget_simple_extent_dims(space, &dims, nil) >= 0 else { throw failure(name, .callFailed("H5Sget_simple_extent_dims")) } }
        let shape = dims.map { Int($0) }
        var count = 1
        for d in shape {
            let (product, overflow) = count.multipliedReportingOverflow(by: d)
            guard !overflow, product <= 1 << 32 else { throw failure(name, .malformed("shape \(shape) is too large")) }
            count = product
        }
        let type = H5Dget_type(dataset)
        guard type >= 0 else { throw failure(name, .callFailed("H5Dget_type")) }
        defer { _ = H5Tclose(type) }
        switch H5Tget_class(type) {
        case H5T_FLOAT:
            var values = [Float](repeating: 0, count: count)
            guard H5Dread(dataset, ottt_h5t_native_float(), ottt_h5s_all(), ottt_h5s_all(), ottt_h5p_default(), &values) >= 0 else {
                throw failure(name, .callFailed("H5Dread"))
            }
            return HDF5Dataset(shape: shape, values: .floats(values))
        case H5T_INTEGER:
            var values = [Int64](repeating: 0, count: count)
            guard H5Dread(dataset, ottt_h5t_native_int64(), ottt_h5s_all(), ottt_h5s_all(), ottt_h5p_default(), &values) >= 0 else {
                throw failure(name, .callFailed("H5Dread"))
            }
            return HDF5Dataset(shape: shape, values: .integers(values))
        case H5T_STRING:
            return HDF5Dataset(shape: shape, values: .strings(try readStrings(name, dataset: dataset, type: type, space: space, count: count)))
        default:
            throw failure(name, .wrongType(expected: "floats, integers or strings", found: "HDF5 type class \(H5Tget_class(type).rawValue)"))
        }
    }

    // MARK: Internals

    private func checkCount(_ name: String, _ count: Int, _ shape: [Int]) throws(HDF5Error) {
        guard shape.allSatisfy({ $0 >= 0 }), shape.reduce(1, *) == count else {
            throw failure(name, .wrongShape(expected: "\(count) elements", found: shape))
        }
    }

    /// A variable-length UTF-8 string type (the caller closes it).
    private func stringType(_ name: String) throws(HDF5Error) -> hid_t {
        let type = H5Tcopy(ottt_h5t_c_s1())
        guard type >= 0, H5Tset_size(type, ottt_h5t_variable()) >= 0, H5Tset_cset(type, H5T_CSET_UTF8) >= 0 else {
            throw failure(name, .callFailed("H5Tcopy/H5Tset_size/H5Tset_cset"))
        }
        return type
    }

    private func write(_ name: String, fileType: hid_t, memoryType: hid_t, shape: [Int], compress: Bool,
                       bytes: UnsafeRawPointer?) throws(HDF5Error) {
        let dims = shape.map { hsize_t($0) }
        let space = shape.isEmpty ? H5Screate(H5S_SCALAR) : H5Screate_simple(Int32(dims.count), dims, nil)
        guard space >= 0 else { throw failure(name, .callFailed("H5Screate")) }
        defer { _ = H5Sclose(space) }
        var properties = ottt_h5p_default()
        if compress && !shape.isEmpty && !shape.contains(0) {
            properties = H5Pcreate(ottt_h5p_dataset_create())
            guard properties >= 0, H5Pset_chunk(properties, Int32(dims.count), dims) >= 0,
                  H5Pset_deflate(properties, 4) >= 0 else { throw failure(name, .callFailed("H5Pset_chunk/H5Pset_deflate")) }
        }
        defer { if properties != ottt_h5p_default() { _ = H5Pclose(properties) } }
        let dataset = H5Dcreate2(id, name, fileType, space, ottt_h5p_default(), properties, ottt_h5p_default())
        guard dataset >= 0 else { throw failure(name, .callFailed("H5Dcreate2")) }
        defer { _ = H5Dclose(dataset) }
        guard shape.contains(0) || H5Dwrite(dataset, memoryType, ottt_h5s_all(), ottt_h5s_all(), ottt_h5p_default(), bytes) >= 0 else {
            throw failure(name, .callFailed("H5Dwrite"))
        }
    }

    /// Variable-length strings (what h5py writes) or fixed-length ones (NUL- or space-padded), as UTF-8.
    private func readStrings(_ name: String, dataset: hid_t, type: hid_t, space: hid_t, count: Int) throws(HDF5Error) -> [String] {
        let memoryType = H5Tcopy(ottt_h5t_c_s1())
        guard memoryType >= 0 else { throw failure(name, .callFailed("H5Tcopy")) }
        defer { _ = H5Tclose(memoryType) }
        _ = H5Tset_cset(memoryType, H5Tget_cset(type))
        if H5Tis_variable_str(type) > 0 {
            guard H5Tset_size(memoryType, ottt_h5t_variable()) >= 0 else { throw failure(name, .callFailed("H5Tset_size")) }
            var pointers = [UnsafeMutablePointer<CChar>?](repeating: nil, count: count)
            guard H5Dread(dataset, memoryType, ottt_h5s_all(), ottt_h5s_all(), ottt_h5p_default(), &pointers) >= 0 else {
                throw failure(name, .callFailed("H5Dread"))
            }
            defer { _ = H5Dvlen_reclaim(memoryType, space, ottt_h5p_default(), &pointers) }
            return pointers.map { p in p.map { String(cString: $0) } ?? "" }
        }
        let size = H5Tget_size(type)
        guard size > 0, size < 1 << 20, H5Tset_size(memoryType, size) >= 0 else { throw failure(name, .malformed("string size \(size)")) }
        var bytes = [UInt8](repeating: 0, count: count * size)
        guard H5Dread(dataset, memoryType, ottt_h5s_all(), ottt_h5s_all(), ottt_h5p_default(), &bytes) >= 0 else {
            throw failure(name, .callFailed("H5Dread"))
        }
        return (0..<count).map { i in
            var field = bytes[i * size ..< (i + 1) * size]
            if let end = field.firstIndex(of: 0) { field = field[..<end] }
            while field.last == 0x20 { field = field.dropLast() }
            return String(decoding: field, as: UTF8.self)
        }
    }
}
