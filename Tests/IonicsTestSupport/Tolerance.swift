import Foundation

/// Relative difference |a − b| / max(|b|, floor): the measure every tolerance in the
/// test suite is stated in unless it says otherwise.
public func relativeError(_ a: Double, _ b: Double, floor: Double = 1e-300) -> Double {
    abs(a - b) / max(abs(b), floor)
}

/// Maximum relative difference between two equally long arrays, measured against
/// the largest magnitude of `reference` (a norm-wise relative error).
public func normwiseRelativeError(_ a: [Double], _ reference: [Double]) -> Double {
    precondition(a.count == reference.count)
    let scale = reference.map(abs).max() ?? 0
    let diff = zip(a, reference).map { abs($0 - $1) }.max() ?? 0
    return scale == 0 ? diff : diff / scale
}

/// A deterministic pseudo-random generator (SplitMix64) so that "random" test
/// systems are the same on every machine.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    private var state: UInt64
    public init(seed: UInt64) { state = seed }
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    /// A uniform Double in [lo, hi).
    public mutating func uniform(_ lo: Double = -1, _ hi: Double = 1) -> Double {
        Double.random(in: lo..<hi, using: &self)
    }
}

/// A fresh, empty temporary directory for one test; removed by `cleanup()`.
public struct TemporaryDirectory: Sendable {
    public let path: String
    public init(_ label: String = "ionics-test") throws {
        let base = FileManager.default.temporaryDirectory.path
        path = base + "/\(label)-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }
    public func file(_ name: String) -> String { path + "/" + name }
    public func cleanup() { try? FileManager.default.removeItem(atPath: path) }
}
