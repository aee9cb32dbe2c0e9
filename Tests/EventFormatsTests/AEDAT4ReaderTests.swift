import DVSEvents
import EventFormats
import Testing
import TestSupport

@Suite("AEDAT 4.0 reader on real and independently written files")
struct AEDAT4ReaderTests {
    @Test("tonic's DVXplorer sample (LZ4, IMU and trigger tracks) matches its summary", .enabled(if: SharedMaterial.isAvailable, SharedMaterial.skipReason))
    func tonicSample() throws {
        let name = "tonic_sample.aedat4"
        let summary = try FixtureSummary(path: SharedMaterial.recording(name + ".summary.json"))
        let reader = try #require(try EventFile.open(path: SharedMaterial.recording(name)) as? AEDAT4Reader)
        let decoded = try DecodedColumns(reading: reader)
        #expect(reader.info.sensor == SensorSize(width: 320, height: 240))
        #expect(reader.compression == .lz4)
        #expect(reader.streams.map(\.id) == [0, 2, 3])
        #expect(reader.streams.map(\.typeIdentifier) == ["EVTS", "IMUS", "TRIG"])
        #expect(reader.streams[0].tsOffset == 1_605_507_430_438_338)
        #expect(decoded.stats == summary.stats("events_track_stats"))
        #expect(decoded.digests == summary.digests("sha256_16_of_int64_fields"))
        let csv = try DecodedColumns.csv(path: SharedMaterial.recording(name + ".first1000.csv"))
        #expect(decoded.prefix(1000).firstDifference(from: csv) == nil)
        // The IMU packets are reported, not silently dropped.
        #expect(reader.warnings.contains { $0.message.contains("stream 2 (IMUS imu)") && $0.count > 0 })
    }

    @Test("the data table of the tonic sample matches its summary", .enabled(if: SharedMaterial.isAvailable, SharedMaterial.skipReason))
    func dataTable() throws {
        let reader = try AEDAT4Reader(path: SharedMaterial.recording("tonic_sample.aedat4"))
        let table = try #require(try reader.dataTable())
        #expect(table.count == 118)
        #expect(table.first == AEDAT4PacketIndex(byteOffset: 2342, streamId: 0, size: 7949, elements: 918,
                                                 startT: 1_605_537_493_718_345, endT: 1_605_537_493_728_245))
    }

    @Test("seeking by time delivers exactly the events at or after that time", .enabled(if: SharedMaterial.isAvailable, SharedMaterial.skipReason))
    func seekByTime() throws {
        let path = SharedMaterial.recording("tonic_sample.aedat4")
        let all = try DecodedColumns(reading: AEDAT4Reader(path: path))
        let time = all.t[all.count / 2] + 1
        let reader = try AEDAT4Reader(path: path)
        try reader.seek(to: time)
        let after = try DecodedColumns(reading: reader)
        let first = try #require(all.t.firstIndex { $0 >= time })
        #expect(after == DecodedColumns(t: Array(all.t[first...]), x: Array(all.x[first...]),
                                        y: Array(all.y[first...]), p: Array(all.p[first...])))
        #expect(!reader.warnings.contains { $0.message.contains("backwards") })
    }

    @Test("dv-processing's files decode exactly to their CSV", .enabled(if: SharedMaterial.isAvailable, SharedMaterial.skipReason),
          arguments: ["dvproc_none.aedat4", "dvproc_lz4.aedat4", "dvproc_zstd.aedat4"])
    func writtenByDVProcessing(name: String) throws {
        let path = SharedMaterial.recording("written/" + name)
        let reader = try #require(try EventFile.open(path: path) as? AEDAT4Reader)
        let decoded = try DecodedColumns(reading: reader)
        let csv = try DecodedColumns.csv(path: path + ".csv")
        #expect(decoded.firstDifference(from: csv) == nil)
        #expect(reader.info.sensor == .dvs128)
        #expect(reader.warnings.isEmpty)
        #expect(try reader.dataTable()?.reduce(0) { $0 + $1.elements } == Int64(csv.count))
    }
}
