import Foundation
import IonicsFit
import IonicsTestSupport

/// A deliberately cheap device for fits in tests: the default device (Yao 2020 with its
/// calibrated channel table, `configs/default.json`) with 2 + 2 pulses,
/// 6 cells per layer and its channel's σ(θ) replaced by a two-point log-linear law
/// (one model run ≈ 0.12 s of CPU).
enum CheapDevice {
    static var base: String { repositoryRoot() + "/configs/default.json" }

    static let fixed = """
        "protocol.pulses": 2, "mesh.cells": 6,
        "layers[2].conductivity": {"filling": [0.029, 0.032], "value": ["10 S/m", "30 S/m"]}
        """

    /// A fit file (text) over `parameters` (JSON list) and `data` (JSON list), fixed
    /// overrides `fixed` plus `extra` (JSON members, may be empty).
    static func fitText(parameters: String, data: String, extra: String = "", solver: String = "{}") -> String {
        """
        {"base": "\(base)", "set": {\(fixed)\(extra.isEmpty ? "" : ", " + extra)},
         "parameters": \(parameters), "data": \(data), "solver": \(solver)}
        """
    }

    /// Model values of `dataset` (a CSV text with placeholder y) at SI `values`.
    static func clean(_ model: FitModel, csv: String, values: [Double]) throws -> (Dataset, [Double]) {
        let entry = model.spec.data[0]
        let dataset = try Dataset.parse(csv, entry: entry)
        let fitter = Fitter(model: model, datasets: [dataset], jobs: 1)
        return (dataset, try fitter.predictions(values).values[0])
    }
}

/// Results written by concurrent workers (each to its own index).
final class Collected<T>: @unchecked Sendable {
    private var items: [T?]
    private let lock = NSLock()
    init(count: Int) { items = Array(repeating: nil, count: count) }
    func set(_ i: Int, _ value: T) { lock.lock(); items[i] = value; lock.unlock() }
    var values: [T?] { lock.lock(); defer { lock.unlock() }; return items }
}
