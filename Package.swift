// swift-tools-version: 6.0
// ottt: learning from an event camera while it streams (OTTT, Xiao et al., NeurIPS 2022).
// Arrows point one way: InputLimits ← DVSEvents, Tensors (the size policy, below both halves);
// DVSEvents ← EventFormats, EventBinning, DVSCamera, DVSSimulator, Datasets; DVSEvents,
// EventFormats, EventBinning ← Pipeline ← Benchmarks ← ottt; CCivetweb, Pipeline ← WebView ← Benchmarks, ottt;
// Pictures (zlib, PNG, PNM, SVG) ← EventBinning, DVSSimulator, ottt;
// Tensors ← SNN ← DataParallel ← Training ← Datasets, Pipeline, NIR. SNN and Training know nothing of events.
// CHDF5 ← HDF5 ← NIR ← ottt; CMPI ← MessagePassing ← DataParallel ← Training.
import PackageDescription

// The engine's own kernels (SIMD8 loops, the sparse scatter, the LIF and surrogate passes), the binning loops
// (64-bit time compares) and the AEDAT 4 event kernel (16-byte records split into columns) are compiled for
// x86-64-v3 — AVX2 and FMA, which every machine this project runs on has — instead of the SSE2 baseline, which
// splits every 8-float operation in two, has no fused multiply-add and no 64-bit vector compare. Only these five
// targets; on other architectures the default applies.
#if arch(x86_64)
let vectorISA: [SwiftSetting] = [.unsafeFlags(["-Xcc", "-march=x86-64-v3"])]
#else
let vectorISA: [SwiftSetting] = []
#endif

let package = Package(
    name: "ottt",
    products: [
        .executable(name: "ottt", targets: ["ottt"]),
    ],
    targets: [
        // C libraries from Debian, each wrapped once at the edge.
        .systemLibrary(name: "CLibUSB", pkgConfig: "libusb-1.0",
                       providers: [.apt(["libusb-1.0-0-dev"])]),
        .systemLibrary(name: "COpenBLAS", pkgConfig: "openblas",
                       providers: [.apt(["libopenblas-dev"])]),
        .systemLibrary(name: "CLZ4", pkgConfig: "liblz4",
                       providers: [.apt(["liblz4-dev"])]),
        .systemLibrary(name: "CZstd", pkgConfig: "libzstd",
                       providers: [.apt(["libzstd-dev"])]),
        .systemLibrary(name: "CZlib", pkgConfig: "zlib",
                       providers: [.apt(["zlib1g-dev"])]),
        // Open MPI, for training across processes and machines; its predefined handles are macros, which the
        // tiny C target CMPIShim turns into functions.
        .systemLibrary(name: "CMPI", pkgConfig: "ompi-c",
                       providers: [.apt(["libopenmpi-dev", "openmpi-bin"])]),
        .target(name: "CMPIShim", dependencies: ["CMPI"]),
        .systemLibrary(name: "CHDF5", pkgConfig: "hdf5",
                       providers: [.apt(["libhdf5-dev"])]),
        // civetweb (MIT; HTTP and WebSocket in one small C library) for the browser view.
        .systemLibrary(name: "CCivetweb", providers: [.apt(["libcivetweb-dev"])]),
        // Its callbacks run on 100 KB worker stacks: the trampolines move each onto a thread with room for Swift.
        .target(name: "CCivetwebShim", dependencies: ["CCivetweb"]),
        // HDF5's type and flag names are macros Swift cannot import: one C function each.
        .target(name: "HDF5Macros", dependencies: ["CHDF5"]),
        // umockdev's testbed, for the emulated-camera tests only.
        .systemLibrary(name: "CUMockdev", path: "Tests/CUMockdev", pkgConfig: "umockdev-1.0",
                       providers: [.apt(["libumockdev-dev"])]),

        // The one policy on sizes from input (sensor, tensor, network, frame bytes, label, line): below both halves.
        .target(name: "InputLimits"),
        // Events: the event, sensor geometry, the EventSource protocol.
        .target(name: "DVSEvents", dependencies: ["InputLimits"]),
        // Readers and writers of event files, one folder per format family.
        .target(name: "EventFormats", dependencies: ["InputLimits", "DVSEvents", "CLZ4", "CZstd"], swiftSettings: vectorISA),
        // Pictures: zlib wrapped once, PNG written, PNG and Netpbm read, the grey image, SVG charts.
        .target(name: "Pictures", dependencies: ["CZlib"]),
        // Events to time-step frames, offline and streaming; filters; PNG output of frames.
        .target(name: "EventBinning", dependencies: ["InputLimits", "DVSEvents", "Pictures"], swiftSettings: vectorISA),
        // CIFAR10-DVS, DVS128 Gesture, N-MNIST; the on-disk frame cache; Samples/: datasets as Training's SampleSets.
        .target(name: "Datasets", dependencies: ["InputLimits", "DVSEvents", "EventFormats", "EventBinning", "Tensors", "Training"]),
        // Live cameras through libusb-1.0 (libusb appears only in Sources/DVSCamera/USB).
        .target(name: "DVSCamera", dependencies: ["DVSEvents", "CLibUSB"]),
        // A DVS pixel model and scene renderer: an EventSource for demos and tests.
        .target(name: "DVSSimulator", dependencies: ["DVSEvents", "Pictures"]),

        // The engine: tensors and kernels → spiking layers → learning rules.
        .target(name: "Tensors", dependencies: ["InputLimits", "COpenBLAS"], swiftSettings: vectorISA),
        .target(name: "SNN", dependencies: ["InputLimits", "Tensors"], swiftSettings: vectorISA),
        .target(name: "Training", dependencies: ["InputLimits", "Tensors", "SNN", "DataParallel", "MessagePassing"],
                swiftSettings: vectorISA),

        // MPI wrapped once in typed values: the communicator, its collectives and errors.
        .target(name: "MessagePassing", dependencies: ["CMPI", "CMPIShim"]),
        // Data-parallel training's parts: gradient reduction per layer bucket, the deterministic shard of each
        // global batch, the weight checksum, the broadcast of parameters, the projected scaling efficiency.
        .target(name: "DataParallel", dependencies: ["MessagePassing", "SNN", "Tensors"]),
        // HDF5 files (groups, datasets of floats, integers, strings), wrapped once.
        .target(name: "HDF5", dependencies: ["CHDF5", "HDF5Macros"]),
        // NIR graphs (the Neuromorphic Intermediate Representation): the model, its HDF5 layout, and the mapping
        // to and from the engine's networks.
        .target(name: "NIR", dependencies: ["HDF5", "Tensors", "SNN", "Training"]),

        // The always-on learner: source → streaming binner → network → predictions.
        .target(name: "Pipeline", dependencies: [
            "InputLimits", "DVSEvents", "EventFormats", "EventBinning", "Tensors", "SNN", "Training",
        ]),

        // The browser view of a learning session: civetweb wrapped once, the embedded page, per-browser mailboxes.
        .target(name: "WebView", dependencies: ["CCivetweb", "CCivetwebShim", "DVSEvents", "Pipeline", "Tensors"],
                resources: [.embedInCode("Page/view.html")]),

        // Every `ottt bench` measurement, memory tracing and the train-suite runner: typed options in, typed
        // Codable results out; no printing, no argument parsing.
        .target(name: "Benchmarks", dependencies: [
            "DVSEvents", "EventFormats", "EventBinning", "Datasets", "DVSCamera", "DVSSimulator",
            "Tensors", "SNN", "Training", "Pipeline", "DataParallel", "MessagePassing", "Pictures", "WebView",
        ]),

        // The command line: the only module that sees everything; subcommands only wire library calls.
        .executableTarget(name: "ottt", dependencies: [
            "InputLimits", "DVSEvents", "EventFormats", "EventBinning", "Datasets", "DVSCamera", "DVSSimulator",
            "Tensors", "SNN", "Training", "Pipeline", "Pictures", "Benchmarks", "NIR", "MessagePassing", "WebView",
        ]),

        // Helpers shared by the test targets: where ../shared is, temporary directories.
        .target(name: "TestSupport", path: "Tests/TestSupport"),
        // Cameras emulated by umockdev (device descriptions, usbmon captures, event words), for the camera and
        // live-command tests.
        .target(name: "CameraEmulation", dependencies: ["CUMockdev"], path: "Tests/CameraEmulation"),
        // The rank program of the MPI tests (DataParallelTests spawns it under mpirun); not a product.
        .executableTarget(name: "mpi-ranks", dependencies: ["DataParallel", "MessagePassing", "SNN", "Tensors", "Training"],
                          path: "Tests/MPIRanks"),
        .testTarget(name: "InputLimitsTests", dependencies: ["TestSupport", "InputLimits"]),
        .testTarget(name: "DVSEventsTests", dependencies: ["TestSupport", "DVSEvents"]),
        .testTarget(name: "EventFormatsTests", dependencies: ["TestSupport", "EventFormats", "DVSEvents"]),
        .testTarget(name: "PicturesTests", dependencies: ["TestSupport", "Pictures"]),
        .testTarget(name: "EventBinningTests", dependencies: ["TestSupport", "EventBinning", "DVSEvents", "Pictures"]),
        .testTarget(name: "DatasetsTests", dependencies: ["TestSupport", "Datasets", "EventFormats", "EventBinning", "DVSEvents",
                                                          "Training", "Tensors"]),
        .testTarget(name: "DVSCameraTests", dependencies: ["TestSupport", "CameraEmulation", "DVSCamera", "DVSEvents"]),
        .testTarget(name: "DVSSimulatorTests", dependencies: ["TestSupport", "DVSSimulator", "DVSEvents", "Pictures"]),
        .testTarget(name: "TensorsTests", dependencies: ["TestSupport", "Tensors"]),
        .testTarget(name: "SNNTests", dependencies: ["TestSupport", "SNN", "Tensors"]),
        .testTarget(name: "TrainingTests", dependencies: ["TestSupport", "Training", "SNN", "Tensors"]),
        .testTarget(name: "DataParallelTests", dependencies: [
            "TestSupport", "DataParallel", "MessagePassing", "SNN", "Tensors", "mpi-ranks",
        ]),
        .testTarget(name: "HDF5Tests", dependencies: ["TestSupport", "HDF5"]),
        .testTarget(name: "NIRTests", dependencies: ["TestSupport", "NIR", "HDF5", "SNN", "Training", "Tensors"]),
        .testTarget(name: "PipelineTests", dependencies: [
            "TestSupport", "Pipeline", "DVSEvents", "EventFormats", "EventBinning", "Tensors", "SNN", "Training",
        ]),
        .testTarget(name: "WebViewTests", dependencies: ["TestSupport", "WebView", "Pipeline", "DVSEvents"]),
        .testTarget(name: "BenchmarksTests", dependencies: ["TestSupport", "Benchmarks", "DataParallel", "MessagePassing",
                                                           "Training"]),
        .testTarget(name: "otttTests", dependencies: ["TestSupport", "CameraEmulation", "ottt", "Pictures", "NIR"]),
    ]
)
