import Foundation
import IonicsConfig
import IonicsPhysics

extension DeviceBuilder {
    /// The electronic leakage paths: every electrolyte with an electronic conductivity
    /// σ_e > 0 (material `electronic_conductivity`, or the layer's override, taken to the
    /// run's temperature by the material's law) between two electron conductors at
    /// different terminals — a metal electrode or a host on either side — is the
    /// resistor g = σ_e/d per unit area (``ElectronicLeak``). In 2D the area is the
    /// overlap of the two conductors along the channel (parallel plates; the fringing
    /// field of a partial electrode is neglected), per metre of depth.
    static func leakages(
        _ config: DeviceConfig, materials mats: [MaterialConfig], meshed: [Int], problem: PNPProblem, lateral: LateralPlan?,
        report: (String, String) -> Void
    ) -> [ElectronicLeak] {
        var out: [ElectronicLeak] = []
        for (k, i) in meshed.enumerated() where mats[i].kind == .electrolyte {
            let l = config.layers[i]
            let sigma = (l.overrides["electronic_conductivity"] ?? mats[i].electronicConductivity)
                * mats[i].temperatureFactor("electronic_conductivity", at: config.temperature)
            guard sigma > 0 else { continue }
            let key = l.overrides["electronic_conductivity"] != nil ? "layers[\(i)].overrides.electronic_conductivity" : "layers[\(i)].material"
            // The electron conductor on each side: a neighbouring host's terminal, or the
            // outer electrode's.
            func side(_ neighbour: Int, _ outer: Boundary) -> Int? {
                if problem.layers.indices.contains(neighbour) {
                    let n = problem.layers[neighbour]
                    return n.electronTerminal ?? n.semiconductor?.terminal
                }
                if let t = outer.metal?.terminal { return t }
                return nil
            }
            guard let a = side(k - 1, problem.first), let b = side(k + 1, problem.last), a != b else {
                report(key, "\(l.name) conducts electrons, but has no electron conductor at a terminal on both sides (a metal electrode or a host) for the current to flow between")
                continue
            }
            var area = 1.0
            if let lateral {
                // Covers of the two sides along the channel (a placed end metal covers part).
                let full = 0...lateral.length
                let lower = k == 0 ? lateral.firstCover ?? full : full
                let upper = k == meshed.count - 1 ? lateral.lastCover ?? full : full
                area = max(0, min(lower.upperBound, upper.upperBound) - max(lower.lowerBound, upper.lowerBound))
            }
            out.append(ElectronicLeak(from: a, to: b, conductance: sigma / problem.layers[k].thickness * area))
        }
        return out
    }
}
