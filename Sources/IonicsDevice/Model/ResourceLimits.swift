import Foundation

/// How large a run may be before it is refused: checked from the config before anything
/// is allocated (``ResourceEstimate``), so that a typo such as `"1e-15 m"` for a cell
/// size is an error naming its key instead of an exhausted machine.
public struct ResourceLimits: Sendable, Equatable {
    /// Cells of the whole stack.
    public var maxCells: Int
    /// Bytes of memory the run may need (solver, schedule and results).
    public var maxMemory: Double
    /// Time steps of the whole protocol (the estimate is a lower bound; a run that
    /// takes more stops there, keeping what it computed).
    public var maxSteps: Int
    /// Bytes of the HDF5 output.
    public var maxOutput: Double

    public init(maxCells: Int, maxMemory: Double, maxSteps: Int, maxOutput: Double) {
        self.maxCells = maxCells
        self.maxMemory = maxMemory
        self.maxSteps = maxSteps
        self.maxOutput = maxOutput
    }

    /// Defaults sized to this machine: half its physical memory, a million cells,
    /// twenty million steps and 20 GB of output.
    public static let machine = ResourceLimits(
        maxCells: 1_000_000, maxMemory: 0.5 * physicalMemory, maxSteps: 20_000_000, maxOutput: 20e9)

    /// No limits (for callers that checked otherwise).
    public static let unlimited = ResourceLimits(
        maxCells: Int.max / 4, maxMemory: .infinity, maxSteps: Int.max / 4, maxOutput: .infinity)

    /// Physical memory in bytes: `sysconf`, else `/proc/meminfo`, else 4 GiB.
    public static let physicalMemory: Double = {
        let pages = sysconf(Int32(_SC_PHYS_PAGES))
        let size = sysconf(Int32(_SC_PAGESIZE))
        if pages > 0 && size > 0 { return Double(pages) * Double(size) }
        if let text = try? String(contentsOfFile: "/proc/meminfo", encoding: .utf8),
           let line = text.split(separator: "\n").first(where: { $0.hasPrefix("MemTotal:") }),
           let kB = Double(line.split(separator: " ").dropFirst().first ?? "") {
            return kB * 1024
        }
        return 4 * 1024 * 1024 * 1024
    }()

    /// A byte count for messages: "1.5 GB".
    public static func bytes(_ x: Double) -> String {
        guard x.isFinite else { return "unlimited" }
        for (scale, unit) in [(1e12, "TB"), (1e9, "GB"), (1e6, "MB"), (1e3, "kB")] where x >= scale {
            return String(format: "%.3g %@", x / scale, unit)
        }
        return String(format: "%.0f bytes", x)
    }

    /// Parses a byte count such as `8G`, `512 MB`, `1.5e9` or `2GiB`; nil if it is none.
    public static func parseBytes(_ text: String) -> Double? {
        let t = text.trimmingCharacters(in: .whitespaces).lowercased()
        let units: [(String, Double)] = [
            ("tib", 1099511627776), ("gib", 1073741824), ("mib", 1048576), ("kib", 1024),
            ("tb", 1e12), ("gb", 1e9), ("mb", 1e6), ("kb", 1e3), ("t", 1e12), ("g", 1e9), ("m", 1e6), ("k", 1e3), ("b", 1),
        ]
        for (suffix, scale) in units where t.hasSuffix(suffix) {
            let number = t.dropLast(suffix.count).trimmingCharacters(in: .whitespaces)
            guard let v = Double(number), v.isFinite, v > 0 else { return nil }
            return v * scale
        }
        guard let v = Double(t), v.isFinite, v > 0 else { return nil }
        return v
    }
}

/// What a config will need, estimated before it is built: cells, unknowns, memory,
/// schedule segments, time steps (a lower bound) and output bytes, with the key that
/// drives each.
public struct ResourceEstimate: Sendable {
    public var cells = 0
    /// Set when a layer's cells were only counted up to the limit.
    public var cellsCapped = false
    /// Layers that cannot be meshed at all: (key path, message).
    public var meshProblems: [(String, String)] = []
    public var unknowns = 0
    public var memory = 0.0
    public var segments = 0.0
    /// A lower bound: every segment takes at least four steps, and no step is longer
    /// than `solver.maximum_step`.
    public var steps = 0.0
    public var outputBytes = 0.0
    /// Keys to name when a limit is exceeded.
    public var cellsKey = "layers"
    public var segmentsKey = "protocol"
    public var stepsKey = "protocol"
    public var outputKey = "protocol"

    public init() {}

    /// Bytes per unknown of the Jacobian, its factors and the integrator's vectors
    /// (measured: peak RSS of runs from 2k to 200k cells), and a fixed overhead.
    static let bytesPerUnknown = 2_000.0
    static let baseMemory = 64e6
    /// Bytes kept in memory per schedule segment (the segment, its reads and pulse records).
    static let bytesPerSegment = 600.0

    /// Problems with `limits`, each naming its key: (key path, message).
    public func problems(_ limits: ResourceLimits) -> [(String, String)] {
        var out = meshProblems
        if Double(cells) > Double(limits.maxCells) {
            out.append((cellsKey, String(format: "the mesh would have %@ cells, more than the limit of %d (--max-cells)",
                                         cellsCapped ? "more than \(limits.maxCells)" : Self.count(Double(cells)), limits.maxCells)))
        }
        if steps > Double(limits.maxSteps) {
            out.append((stepsKey, String(format: "the protocol would take at least %@ time steps, more than the limit of %d (--max-steps)",
                                         Self.count(steps), limits.maxSteps)))
        }
        if memory > limits.maxMemory {
            let key = segments * Self.bytesPerSegment > Double(unknowns) * Self.bytesPerUnknown ? segmentsKey : cellsKey
            out.append((key, "the run would need about \(ResourceLimits.bytes(memory)) of memory, more than the limit of \(ResourceLimits.bytes(limits.maxMemory)) (--max-memory)"))
        }
        if outputBytes > limits.maxOutput {
            out.append((outputKey, "the output would be at least \(ResourceLimits.bytes(outputBytes)), more than the limit of \(ResourceLimits.bytes(limits.maxOutput)) (--max-output)"))
        }
        return out
    }

    static func count(_ x: Double) -> String {
        x < 1e6 ? String(format: "%.0f", x) : String(format: "%.3g", x)
    }
}
