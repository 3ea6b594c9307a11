import Foundation
import IonicsConfig

/// One point of a sweep: where it sits on the axes and the overrides that make it.
public struct SweepPoint: Sendable, Equatable {
    /// Position in the sweep's row-major order (the first axis varies slowest).
    public let index: Int
    /// The position on each axis.
    public let axisIndices: [Int]
    /// The fixed overrides, then one per path of every axis.
    public let assignments: [Assignment]

    /// The text the point's hash is computed from: its assignments sorted by key path,
    /// one `path=<canonical JSON>` per line (``CanonicalJSON``), each line ending in `\n`.
    public var canonicalText: String {
        assignments.sorted { Array($0.path.utf8).lexicographicallyPrecedes(Array($1.path.utf8)) }
            .map { $0.override + "\n" }.joined()
    }

    /// FNV-1a 64 of ``canonicalText``, 16 hexadecimal digits: the same overrides give the
    /// same hash on every machine and in every run, whatever the order of the axes.
    public var hash: String { FNV1a64.hex(canonicalText) }

    /// The point's run file inside the sweep's folder.
    public var fileName: String { "point-\(hash).h5" }

    /// The `--set` arguments of `ionics run` for this point.
    public var overrides: [String] { assignments.map(\.override) }
}

/// A sweep ready to run: its points in order, the sweep's identity and its shards.
public struct SweepPlan: Sendable {
    public let spec: SweepSpec
    public let points: [SweepPoint]
    /// FNV-1a 64 of the base config's text.
    public let baseHash: String
    /// Identifies the sweep: FNV-1a 64 of the base config's hash and every point's
    /// canonical text, in order. Manifests of another sweep have another identity.
    public let sweepID: String

    /// Enumerates the points of `spec` over the base config text `baseText`.
    public init(spec: SweepSpec, baseText: String) {
        self.spec = spec
        let lengths = spec.axes.map(\.length)
        var points: [SweepPoint] = []
        points.reserveCapacity(spec.pointCount)
        var position = [Int](repeating: 0, count: lengths.count)
        for index in 0..<spec.pointCount {
            var assignments = spec.fixed
            for (a, axis) in spec.axes.enumerated() {
                for (p, path) in axis.paths.enumerated() { assignments.append(Assignment(path: path, value: axis.values[position[a]][p])) }
            }
            points.append(SweepPoint(index: index, axisIndices: position, assignments: assignments))
            // Row-major: the last axis varies fastest.
            var a = lengths.count - 1
            while a >= 0 {
                position[a] += 1
                if position[a] < lengths[a] { break }
                position[a] = 0
                a -= 1
            }
        }
        self.points = points
        baseHash = FNV1a64.hex(baseText)
        sweepID = FNV1a64.hex(([baseHash] + points.map(\.canonicalText)).joined(separator: "\u{1E}"))
    }

    /// The points of shard `index` of `count`: those whose index is `index` mod `count`.
    /// Shards are disjoint, cover the sweep, and differ in size by at most one point.
    public func shard(_ index: Int, of count: Int) -> [SweepPoint] {
        precondition(count >= 1 && (0..<count).contains(index), "shard \(index) of \(count)")
        return points.filter { $0.index % count == index }
    }

    /// Pairs of points with the same hash (the same overrides written differently,
    /// e.g. `"1 um"` and `"1000 nm"` are different texts and never collide; a collision
    /// of different texts is a 2⁻⁶⁴ event). Empty for a valid sweep.
    public var duplicateHashes: [(SweepPoint, SweepPoint)] {
        var seen: [String: SweepPoint] = [:]
        var found: [(SweepPoint, SweepPoint)] = []
        for p in points {
            if let q = seen[p.hash] { found.append((q, p)) } else { seen[p.hash] = p }
        }
        return found
    }

    /// A short description of a point for messages: `#3 (thickness=1e-07 m, current="1 uA")`.
    public func label(_ point: SweepPoint) -> String {
        let parts = zip(spec.axes, point.axisIndices).flatMap { axis, i in
            zip(axis.paths, axis.values[i]).map { path, v in
                "\(path)=" + (v.stringValue ?? CanonicalJSON.text(v))
            }
        }
        return "#\(point.index) (" + parts.joined(separator: ", ") + ")"
    }
}

extension JSONValue {
    /// The string, for a string value.
    var stringValue: String? {
        if case .string(let s) = self { return s }
        return nil
    }
}
