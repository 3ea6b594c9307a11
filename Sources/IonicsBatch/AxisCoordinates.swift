public import IonicsConfig
import IonicsUnits

/// The coordinate values of an axis as the collected table stores them: numbers in SI
/// units (when every value is a number or a quantity of one dimension) or text labels.
public struct CoordinateRecord: Codable, Sendable, Equatable {
    /// The variable's name in the table (the dimension's name for its main coordinate).
    public var name: String
    /// The config key path, or nil for the position index of a multi-path axis.
    public var path: String?
    /// The unit of `numbers` (`"m"`, `"1"`); nil for labels.
    public var units: String?
    public var numbers: [Double]?
    public var labels: [String]?

    public init(name: String, path: String?, units: String?, numbers: [Double]?, labels: [String]?) {
        self.name = name
        self.path = path
        self.units = units
        self.numbers = numbers
        self.labels = labels
    }

    /// The coordinate of `values` (one per position) of `path`: numeric in SI units when
    /// every value is a number or a quantity and the quantities share a dimension,
    /// labels otherwise (strings as written, other values as JSON).
    public static func of(_ values: [JSONValue], name: String, path: String) -> CoordinateRecord {
        var numbers: [Double] = []
        var dimension: IonicsUnits.Dimension?
        var numeric = true
        for v in values {
            switch v {
            case .number(let x): numbers.append(x)
            case .string(let s):
                if let q = try? UnitParser.parse(s), dimension == nil || dimension == q.dimension {
                    dimension = q.dimension
                    numbers.append(q.value)
                } else {
                    numeric = false
                }
            default: numeric = false
            }
            if !numeric { break }
        }
        if numeric {
            return CoordinateRecord(name: name, path: path, units: SIUnitText.symbol(dimension ?? .dimensionless), numbers: numbers, labels: nil)
        }
        let labels = values.map { v -> String in
            if case .string(let s) = v { return s }
            return CanonicalJSON.text(v)
        }
        return CoordinateRecord(name: name, path: path, units: nil, numbers: nil, labels: labels)
    }

    /// The value at position `i` as text for a CSV cell.
    public func text(_ i: Int) -> String {
        if let n = numbers { return CanonicalJSON.number(n[i]) }
        return labels?[i] ?? ""
    }
}

extension SweepAxis {
    /// The axis's coordinates: for one path, its values named after the dimension; for
    /// several (zip, sample, points), the position index named after the dimension and
    /// one coordinate per path named after the path (``KeyPathText/variableName(_:)``).
    public var coordinates: [CoordinateRecord] {
        let columns = paths.indices.map { p in values.map { $0[p] } }
        if paths.count == 1 && (kind == .values || kind == .linear || kind == .log) {
            return [CoordinateRecord.of(columns[0], name: name, path: paths[0])]
        }
        let index = CoordinateRecord(name: name, path: nil, units: "1", numbers: (0..<length).map(Double.init), labels: nil)
        return [index] + zip(paths, columns).map { CoordinateRecord.of($1, name: KeyPathText.variableName($0), path: $0) }
    }
}
