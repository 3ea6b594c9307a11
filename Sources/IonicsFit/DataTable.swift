import Foundation
import IonicsUnits

/// A measured dataset read from a CSV file whose header names each column with its
/// unit, e.g. `pulse,G (uS),sigma_G (uS)` or `t (ms),V_gate (V)`.
///
/// Columns (in any order, names case-sensitive):
/// - x: `pulse` (the n-th pulse of the protocol, counted from 1) or `t` (a time unit;
///   time within the experiment);
/// - y: `G` (a conductance: the read after the pulse), `V_<terminal>` (a voltage) or
///   `I_<terminal>` (a current) of a named terminal, against `t`;
/// - optional `sigma_<y>` (the y column's standard deviations, same dimension): absolute
///   weights 1/σ².
/// Lines that are empty or start with `#` are skipped.
public struct Dataset: Sendable {
    public enum Quantity: Sendable, Equatable {
        case conductance
        case voltage(terminal: String)
        case current(terminal: String)
    }

    public var entry: DatasetEntry
    public var quantity: Quantity
    /// "pulse" or "t"; the unit as written and its SI factor.
    public var xName: String
    public var xUnit: String
    public var xFactor: Double
    /// x in SI (pulse numbers as numbers, times in s).
    public var x: [Double]
    public var yName: String
    public var yUnit: String
    public var yFactor: Double
    public var y: [Double]
    /// Absolute standard deviations in SI, when the file gives them.
    public var sigma: [Double]?

    public var isPulseData: Bool { xName == "pulse" }
    public var count: Int { x.count }
}

/// A problem with a data file: which file, which line (1-based; 0 for the file), what.
public struct DataError: Error, Sendable, CustomStringConvertible {
    public var key: String
    public var file: String
    public var line: Int
    public var message: String
    public var description: String {
        "\(key).file: \(file)" + (line > 0 ? ", line \(line)" : "") + ": " + message
    }
}

extension Dataset {
    /// Reads `entry`'s CSV file, checking the header's names and units.
    public static func read(_ entry: DatasetEntry) throws(DataError) -> Dataset {
        func fail(_ line: Int, _ message: String) -> DataError { DataError(key: entry.keyPath, file: entry.file, line: line, message: message) }
        guard let data = FileManager.default.contents(atPath: entry.resolved), let text = String(data: data, encoding: .utf8) else {
            throw fail(0, FileManager.default.fileExists(atPath: entry.resolved) ? "cannot read the file as UTF-8 text" : "no such file (\(entry.resolved))")
        }
        return try parse(text, entry: entry)
    }

    /// Reads a CSV text as the file of `entry`.
    public static func parse(_ text: String, entry: DatasetEntry) throws(DataError) -> Dataset {
        func fail(_ line: Int, _ message: String) -> DataError { DataError(key: entry.keyPath, file: entry.file, line: line, message: message) }
        var rows: [(line: Int, cells: [String])] = []
        // Split on any line break: "\r\n" is one Character in Swift, so splitting on "\n"
        // would leave a CRLF file as a single line.
        for (i, raw) in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).enumerated() {
            let line = raw.trimmingCharacters(in: .whitespacesAndNewlines)
            if line.isEmpty || line.hasPrefix("#") { continue }
            rows.append((i + 1, line.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }))
        }
        guard let header = rows.first else { throw fail(0, "no header line") }
        let columns = try header.cells.map { (cell) throws(DataError) -> (name: String, unit: String) in
            try splitTitle(cell, line: header.line, fail: fail)
        }
        let names = columns.map(\.name)
        if let dup = names.first(where: { n in names.filter { $0 == n }.count > 1 }) { throw fail(header.line, "column \"\(dup)\" appears twice") }
        // x column.
        guard let xi = names.firstIndex(where: { $0 == "pulse" || $0 == "t" }) else {
            throw fail(header.line, "no x column: expected \"pulse\" or \"t (unit)\" in the header \(header.cells.joined(separator: ","))")
        }
        let xName = names[xi]
        var xFactor = 1.0
        if xName == "pulse" {
            if !columns[xi].unit.isEmpty { throw fail(header.line, "column \"pulse\" counts pulses and takes no unit, got (\(columns[xi].unit))") }
        } else {
            xFactor = try factor(columns[xi], expected: .time, line: header.line, fail: fail)
        }
        // y column.
        let yCandidates = names.indices.filter { i in
            i != xi && !names[i].hasPrefix("sigma_") && (names[i] == "G" || names[i].hasPrefix("V_") || names[i].hasPrefix("I_"))
        }
        guard yCandidates.count == 1, let yi = yCandidates.first else {
            throw fail(header.line, yCandidates.isEmpty
                ? "no data column: expected \"G (unit)\", \"V_<terminal> (unit)\" or \"I_<terminal> (unit)\""
                : "one data column per file, found " + yCandidates.map { "\"\(names[$0])\"" }.joined(separator: ", "))
        }
        let yName = names[yi]
        let quantity: Quantity
        let kind: QuantityKind
        if yName == "G" {
            quantity = .conductance
            kind = .conductance
            if xName != "pulse" { throw fail(header.line, "G is read after each pulse: its x column must be \"pulse\", not \"\(xName)\"") }
        } else {
            let terminal = String(yName.dropFirst(2))
            if terminal.isEmpty { throw fail(header.line, "\"\(yName)\" names no terminal (e.g. V_gate)") }
            quantity = yName.hasPrefix("V_") ? .voltage(terminal: terminal) : .current(terminal: terminal)
            kind = yName.hasPrefix("V_") ? .voltage : .current
            if xName != "t" { throw fail(header.line, "\(yName) is a time series: its x column must be \"t (unit)\", not \"\(xName)\"") }
        }
        let yFactor = try factor(columns[yi], expected: kind, line: header.line, fail: fail)
        let si = names.firstIndex(of: "sigma_" + yName)
        let sFactor = try si.map { (i) throws(DataError) in try factor(columns[i], expected: kind, line: header.line, fail: fail) }
        for (i, n) in names.enumerated() where i != xi && i != yi && i != si {
            throw fail(header.line, "unknown column \"\(n)\"" + (n.hasPrefix("sigma_") ? " (the uncertainty column must be named sigma_\(yName))" : ""))
        }
        var x: [Double] = [], y: [Double] = [], sigma: [Double] = []
        for row in rows.dropFirst() {
            guard row.cells.count == columns.count else {
                throw fail(row.line, "\(row.cells.count) values for \(columns.count) columns")
            }
            func number(_ i: Int) throws(DataError) -> Double {
                guard let v = Double(row.cells[i]), v.isFinite else { throw fail(row.line, "\(names[i]): not a number: \"\(row.cells[i])\"") }
                return v
            }
            let xv = try number(xi)
            if xName == "pulse" && (xv != xv.rounded() || xv < 1 || xv > 1e9) { throw fail(row.line, "pulse: expected a pulse number 1, 2, …, got \(row.cells[xi])") }
            x.append(xv * xFactor)
            y.append(try number(yi) * yFactor)
            if let si, let sFactor {
                let s = try number(si)
                guard s > 0 else { throw fail(row.line, "sigma_\(yName): must be positive, got \(row.cells[si])") }
                sigma.append(s * sFactor)
            }
        }
        if x.isEmpty { throw fail(0, "no data rows") }
        return Dataset(
            entry: entry, quantity: quantity, xName: xName, xUnit: columns[xi].unit, xFactor: xFactor, x: x, yName: yName,
            yUnit: columns[yi].unit, yFactor: yFactor, y: y, sigma: si == nil ? nil : sigma)
    }

    /// `"G (uS)"` → ("G", "uS"); `"pulse"` → ("pulse", "").
    static func splitTitle(_ cell: String, line: Int, fail: (Int, String) -> DataError) throws(DataError) -> (name: String, unit: String) {
        guard let open = cell.firstIndex(of: "(") else { return (cell, "") }
        guard cell.hasSuffix(")") else { throw fail(line, "column \"\(cell)\": expected \"name (unit)\"") }
        let name = cell[..<open].trimmingCharacters(in: .whitespaces)
        let unit = cell[cell.index(after: open)..<cell.index(before: cell.endIndex)].trimmingCharacters(in: .whitespaces)
        if name.isEmpty { throw fail(line, "column \"\(cell)\" has no name") }
        return (name, unit)
    }

    /// SI factor of a column's unit, checked against `expected`.
    static func factor(_ column: (name: String, unit: String), expected: QuantityKind, line: Int,
                       fail: (Int, String) -> DataError) throws(DataError) -> Double {
        if column.unit.isEmpty { throw fail(line, "column \"\(column.name)\" needs a unit of \(expected.name), e.g. \(column.name) (\(exampleUnit(expected)))") }
        guard let one = try? UnitParser.parse("1 " + column.unit) else {
            throw fail(line, "column \"\(column.name)\": cannot read the unit \"\(column.unit)\"")
        }
        guard let v = expected.siValue(of: one) else {
            throw fail(line, "column \"\(column.name) (\(column.unit))\": expected \(expected.phrase), but \(column.unit) is \(DimensionNames.phrase(one.dimension))")
        }
        return v
    }

    static func exampleUnit(_ kind: QuantityKind) -> String {
        let parts = kind.example.split(separator: " ", maxSplits: 1)
        return parts.count == 2 ? String(parts[1]) : "SI"
    }
}
