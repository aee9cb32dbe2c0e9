import DVSEvents
import EventFormats

/// One file to time in the decode benchmark: a format, its compression and the sensor of the file.
public struct DecodeCase: Sendable {
    /// What the report calls it ("AEDAT 4.0 LZ4").
    public var label: String
    /// What `--formats` calls it ("aedat4-lz4").
    public var name: String
    public var format: EventFileFormat
    public var compression: WriteOptions.Compression?
    public var sensor: SensorSize

    public init(label: String, name: String, format: EventFileFormat, compression: WriteOptions.Compression? = nil,
                sensor: SensorSize) {
        self.label = label
        self.name = name
        self.format = format
        self.compression = compression
        self.sensor = sensor
    }

    /// Every writable format, AEDAT 4.0 once per compression. The sensor is 128×128 for AEDAT (as DVS128
    /// recordings) and 1280×720 for the others.
    public static var all: [DecodeCase] {
        let hd = SensorSize(width: 1280, height: 720)
        return EventFile.writableFormats.flatMap { format -> [DecodeCase] in
            switch format {
            case .aedat4:
                return [
                    DecodeCase(label: "AEDAT 4.0", name: "aedat4", format: .aedat4,
                               compression: WriteOptions.Compression.none, sensor: .dvs128),
                    DecodeCase(label: "AEDAT 4.0 LZ4", name: "aedat4-lz4", format: .aedat4, compression: .lz4,
                               sensor: .dvs128),
                    DecodeCase(label: "AEDAT 4.0 ZSTD", name: "aedat4-zstd", format: .aedat4, compression: .zstd,
                               sensor: .dvs128),
                ]
            case .aedat2:
                return [DecodeCase(label: "AEDAT 2.0 DVS128", name: "aedat2", format: .aedat2, sensor: .dvs128)]
            case .evt2:
                return [DecodeCase(label: "EVT 2.0", name: "evt2", format: .evt2, sensor: hd)]
            case .evt3:
                return [DecodeCase(label: "EVT 3.0", name: "evt3", format: .evt3, sensor: hd)]
            default:
                return [DecodeCase(label: format.displayName, name: format.rawValue, format: format, sensor: hd)]
            }
        }
    }

    /// tools/peer-decode's case that reads this file (nil: no peer reads it).
    public var peerCase: String? {
        switch format {
        case .aedat4: "aedat4"
        case .aedat2: "aedat2"
        case .evt2: "evt2"
        case .evt3: "evt3"
        default: nil
        }
    }

    /// tools/peer-decode's case that writes this file's events again the same way (AEDAT 4.0 only).
    public var peerWriteCase: String? {
        guard format == .aedat4 else { return nil }
        return "write-aedat4-\((compression ?? WriteOptions.Compression.none).rawValue)"
    }

    /// Who the peer is, before its tool names itself with its version.
    public var peerName: String {
        switch format {
        case .aedat4: "dv-processing"
        case .aedat2: "numpy"
        default: "expelliarmus"
        }
    }

    /// The case called `name`, or nil.
    public static func named(_ name: String) -> DecodeCase? { all.first { $0.name == name } }
}
