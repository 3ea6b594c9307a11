import Foundation
import IonicsConfig
import IonicsUnits

/// A reproducible Gaussian generator: SplitMix64 (Steele, Lea & Flood 2014) for the
/// uniforms, Box–Muller for the normals. The same seed gives the same numbers on every
/// platform, which `Double.random` does not promise.
public struct SeededNormal: Sendable {
    var state: UInt64
    var spare: Double?

    public init(seed: UInt64) { state = seed }

    mutating func nextUInt64() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Uniform in (0, 1).
    public mutating func uniform() -> Double { (Double(nextUInt64() >> 11) + 0.5) / 9_007_199_254_740_992 }

    /// Standard normal.
    public mutating func next() -> Double {
        if let s = spare { spare = nil; return s }
        let (u, v) = (uniform(), uniform())
        let r = (-2 * log(u)).squareRoot()
        spare = r * sin(2 * Double.pi * v)
        return r * cos(2 * Double.pi * v)
    }
}

/// Synthetic data for a fit file: the model at known ("true") parameter values, plus
/// Gaussian noise of a given fraction of each dataset's RMS, written as the fit file's
/// CSVs with a σ column.
///
/// The truth file names the values and, per dataset of the fit file (same order), its
/// data column and x points:
///
///     {"values": {"interfaces[0].exchange_current": "20 mA/cm^2"},
///      "datasets": [{"column": "G (uS)", "pulses": [1, 10]},
///                   {"column": "V_gate (mV)", "time_unit": "ms",
///                    "times": {"start": "41 ms", "stop": "139 ms", "count": 50}}]}
///
/// `pulses` is an inclusive range; a parameter missing from `values` takes its initial value.
public struct SynthesisPlan: Sendable {
    public struct Entry: Sendable {
        public var header: String
        /// x in the written unit (pulse numbers or times), and the unit's SI factor.
        public var x: [Double]
        public var xFactor: Double
    }

    public var values: [Double]
    public var entries: [Entry]

    public static func parse(_ text: String, source: String, spec: FitSpec) throws -> SynthesisPlan {
        try readConfiguration(text: text, source: source) { root in
            var plan = SynthesisPlan(values: spec.parameters.map(\.initial), entries: [])
            guard let o = root.object() else { return plan }
            if let v = o.required("values")?.object() {
                for key in v.keys {
                    guard let i = spec.parameters.firstIndex(where: { $0.path == key }), let node = v.optional(key) else {
                        v.report(key, "not a parameter of \(spec.source)")
                        continue
                    }
                    if let q = FitSpec.quantity(node, expected: spec.parameters[i].dimension) { plan.values[i] = q.quantity.value }
                }
            }
            guard let list = o.required("datasets")?.array() else { return plan }
            if list.count != spec.data.count { o.report("datasets", "has \(list.count) entries for the fit file's \(spec.data.count) datasets") }
            for node in list {
                guard let d = node.object(), let column = d.required("column", "e.g. \"G (uS)\"")?.string() else { continue }
                if let range = d.optional("pulses")?.array()?.compactMap({ $0.integer() }) {
                    guard range.count == 2, range[0] >= 1, range[0] <= range[1], range[1] - range[0] < 1_000_000 else {
                        d.report("pulses", "expected [first, last] with 1 ≤ first ≤ last, at most a million pulses")
                        continue
                    }
                    plan.entries.append(Entry(header: "pulse,\(column),sigma_\(column)", x: (range[0]...range[1]).map(Double.init), xFactor: 1))
                } else if let t = d.optional("times")?.object() {
                    let unit = d.string("time_unit", default: "s") ?? "s"
                    let factor = (try? UnitParser.value("1 " + unit, as: .time)) ?? 1
                    guard let a = t.quantity("start", .time), let b = t.quantity("stop", .time), let n = t.integer("count"), n >= 2, n <= 1_000_000, b > a else {
                        d.report("times", "expected {start, stop, count} with stop > start and 2 ≤ count ≤ 1000000")
                        continue
                    }
                    let x = (0..<n).map { (a + (b - a) * Double($0) / Double(n - 1)) / factor }
                    plan.entries.append(Entry(header: "t (\(unit)),\(column),sigma_\(column)", x: x, xFactor: factor))
                } else {
                    d.report("column", "give \"pulses\": [first, last] or \"times\": {start, stop, count}")
                }
            }
            return plan
        }
    }
}

extension Fitter {
    /// Runs the model at the plan's values and returns each dataset's CSV text, with
    /// Gaussian noise of `noise` × the dataset's RMS (σ written in the third column).
    public static func synthesize(model: FitModel, plan: SynthesisPlan, noise: Double, seed: UInt64) throws -> [String] {
        // The datasets' x and units from the plan (y values are placeholders).
        let datasets = try zip(plan.entries, model.spec.data).map { entry, d in
            try Dataset.parse(([entry.header] + entry.x.map { "\(String(format: "%.12g", $0)),0,1" }).joined(separator: "\n"), entry: d)
        }
        try model.check(datasets, at: plan.values)
        let fitter = Fitter(model: model, datasets: datasets, jobs: 1)
        let clean = try fitter.predictions(plan.values).values
        var rng = SeededNormal(seed: seed)
        return zip(zip(plan.entries, datasets), clean).map { pair, values in
            let (entry, d) = pair
            let rms = (values.reduce(0) { $0 + $1 * $1 } / Double(max(1, values.count))).squareRoot()
            let sigma = noise * rms
            var lines = ["# synthetic: ionics fit --synthesize; noise \(noise) × RMS, seed \(seed)", entry.header]
            for (x, v) in zip(entry.x, values) {
                let y = v + sigma * rng.next()
                let xText = d.isPulseData ? String(Int(x)) : String(format: "%.9g", x)
                lines.append("\(xText),\(String(format: "%.9g", y / d.yFactor)),\(String(format: "%.6g", sigma / d.yFactor))")
            }
            return lines.joined(separator: "\n") + "\n"
        }
    }
}
