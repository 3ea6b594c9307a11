public import IonicsConfig

/// A sweep as its file describes it: a base config, overrides applied to every point,
/// and axes whose product is the set of points (docs/batch.md).
///
/// Every axis is one dimension of the collected table. An axis varies one config key
/// (`values`, `linear`, `log`) or several together (`zip`, a `sample` of random or
/// Latin-hypercube points, or an explicit list of `points`); each of its `length`
/// positions assigns a value to each of its paths. Values are JSON values as `--set`
/// takes them: numbers in SI units, strings with units (`"50 nm"`), words, objects.
public struct SweepSpec: Sendable {
    /// The base config's path as written in the sweep file (relative to that file).
    public var base: String
    /// Overrides applied to every point, in the order written.
    public var fixed: [Assignment]
    public var axes: [SweepAxis]
    public var description: String

    public init(base: String, fixed: [Assignment], axes: [SweepAxis], description: String = "") {
        self.base = base
        self.fixed = fixed
        self.axes = axes
        self.description = description
    }

    /// The number of points: the product of the axes' lengths.
    public var pointCount: Int { axes.reduce(1) { $0 * $1.length } }

    /// Most points a sweep may have; a larger one is refused before anything runs.
    public static let maxPoints = 1_000_000
}

/// One `key.path=value` of a point.
public struct Assignment: Sendable, Equatable {
    /// The canonical key path (``KeyPathText/canonical(_:)``).
    public var path: String
    public var value: JSONValue

    public init(path: String, value: JSONValue) {
        self.path = path
        self.value = value
    }

    /// The `--set` argument that applies it: `path=<JSON text>`.
    public var override: String { path + "=" + CanonicalJSON.text(value) }
}

/// One axis (one dimension) of a sweep.
public struct SweepAxis: Sendable {
    /// How the axis was written in the sweep file.
    public enum Kind: String, Sendable, Codable, CaseIterable {
        case values, linear, log, zip, random, lhs, points
    }

    /// The dimension's name in the collected table.
    public var name: String
    public var kind: Kind
    /// The canonical key paths this axis varies (one, unless zip, sample or points).
    public var paths: [String]
    /// `values[i][p]`: the value of `paths[p]` at position `i` of the axis.
    public var values: [[JSONValue]]

    public init(name: String, kind: Kind, paths: [String], values: [[JSONValue]]) {
        self.name = name
        self.kind = kind
        self.paths = paths
        self.values = values
    }

    public var length: Int { values.count }
}
