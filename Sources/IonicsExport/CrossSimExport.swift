import Foundation

/// CrossSim's input for lookup-table generation (its `lookup_table_generation` example,
/// `create_lookup_table.py`): `set.csv` and `reset.csv`, one column per run of identical
/// pulses (header line, then G after each pulse, the first row before any pulse; with
/// conductances in S, set `read_voltage = 1`), `set.csv` rising from low G and
/// `reset.csv` starting at high G; plus the ΔG-vs-G tables that CrossSim's `bin_data`
/// derives from them (docs/exports.md).
public struct CrossSimTables: Sendable, Equatable {
    /// One row of a ΔG-vs-G table: the mean starting G of a bin's pulses and their mean ΔG (S).
    public struct Row: Sendable, Equatable {
        public var g: Double
        public var dG: Double
    }

    /// G vs pulse, S: the branch that raises G ("set", increasing) and the one that lowers it.
    public var increasing: [Double]
    public var decreasing: [Double]
    /// ΔG vs G, sorted by G (bins without pulses left out).
    public var dGIncreasing: [Row]
    public var dGDecreasing: [Row]

    /// Bins the pulses of each branch into `bins` equal G intervals over [Gmin, Gmax]
    /// of both branches (default: two per pulse of the longer branch, at most 100; CrossSim's
    /// example uses 50 for its measured data). Bins without pulses are left out.
    public static func make(_ b: PulseBranches, bins: Int? = nil) -> CrossSimTables {
        let potentiationRaises = (b.potentiation.last! - b.potentiation.first!) >= 0
        let inc = potentiationRaises ? b.potentiation : b.depression
        let dec = potentiationRaises ? b.depression : b.potentiation
        let nBins = bins ?? min(100, max(2, 2 * (max(inc.count, dec.count) - 1)))
        let lo = b.gMin, hi = b.gMax
        func table(_ g: [Double]) -> [Row] {
            var sumG = [Double](repeating: 0, count: nBins), sumD = sumG, count = sumG
            for (a, c) in zip(g, g.dropFirst()) {
                let k = min(nBins - 1, max(0, Int(((a - lo) / (hi - lo) * Double(nBins)).rounded(.down))))
                sumG[k] += a
                sumD[k] += c - a
                count[k] += 1
            }
            return (0..<nBins).filter { count[$0] > 0 }.map { Row(g: sumG[$0] / count[$0], dG: sumD[$0] / count[$0]) }
        }
        return CrossSimTables(increasing: inc, decreasing: dec, dGIncreasing: table(inc), dGDecreasing: table(dec))
    }

    /// ΔG at `g` by linear interpolation in the table (end values held outside it), S.
    public static func interpolate(_ rows: [Row], at g: Double) -> Double {
        guard let first = rows.first, let last = rows.last else { return 0 }
        if g <= first.g { return first.dG }
        if g >= last.g { return last.dG }
        let k = rows.firstIndex { $0.g >= g }!
        let a = rows[k - 1], c = rows[k]
        return a.dG + (g - a.g) / (c.g - a.g) * (c.dG - a.dG)
    }

    /// Replays `pulses` pulses from `g0` through a ΔG-vs-G table, clipping to [gMin, gMax]; S.
    public static func replay(_ rows: [Row], from g0: Double, pulses: Int, gMin: Double, gMax: Double) -> [Double] {
        var g = g0
        var out = [g0]
        for _ in 0..<pulses {
            g = min(max(g + interpolate(rows, at: g), gMin), gMax)
            out.append(g)
        }
        return out
    }

    /// The files, by name: set.csv, reset.csv, dG_increasing.csv, dG_decreasing.csv.
    public func files() -> [(name: String, text: String)] {
        func column(_ header: String, _ g: [Double]) -> String {
            ([header] + g.map { String(format: "%.10e", $0) }).joined(separator: "\n") + "\n"
        }
        func dG(_ rows: [Row]) -> String {
            (["G_S,dG_S"] + rows.map { String(format: "%.10e,%.10e", $0.g, $0.dG) }).joined(separator: "\n") + "\n"
        }
        return [
            ("set.csv", column("rmp1", increasing)), ("reset.csv", column("rmp1", decreasing)),
            ("dG_increasing.csv", dG(dGIncreasing)), ("dG_decreasing.csv", dG(dGDecreasing)),
        ]
    }
}
