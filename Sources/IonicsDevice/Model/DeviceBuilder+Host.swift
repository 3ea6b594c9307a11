import Foundation
import IonicsConfig
import IonicsPhysics

extension DeviceBuilder {
    /// The intercalation properties of host layer `l` (key path `path`) of material `m` at
    /// temperature `T` (K): c_max, U(θ) (the material's table, or its lattice-gas form with
    /// the layer's overrides) and D(θ), which materials and overrides state at the
    /// material's reference temperature. A diffusivity that overflows at `T` is a problem of
    /// the layer (reported, 0 used), not a trap.
    static func hostProperties(
        _ l: LayerConfig, _ m: MaterialConfig, temperature T: Double, path: String, report: (String, String) -> Void
    ) -> HostProperties {
        let cmax = l.overrides["max_concentration"] ?? m.maxConcentration
        let excess = m.excessPotential.flatMap { try? MonotoneTable(x: $0.filling, y: $0.values) }
        var ocv = OpenCircuitPotential(
            standard: l.overrides["standard_potential"] ?? m.standardPotential,
            interaction: l.overrides["interaction"] ?? m.interaction, excess: excess)
        if let t = m.ocvTable, let table = try? MonotoneTable(x: t.filling, y: t.values) { ocv = OpenCircuitPotential(table: table) }
        let dT = m.temperatureFactor("diffusivity", at: T)
        func finite(_ d: Double) -> Double {
            if d.isFinite { return d }
            report(l.overrides["diffusivity"] != nil ? "\(path).overrides.diffusivity" : "\(path).material",
                   "the host's diffusivity is not finite at \(T) K (\(d) m²/s)")
            return 0
        }
        let diffusivity: MonotoneTable
        if let d = l.overrides["diffusivity"] {
            diffusivity = .constant(finite(d * dT))
        } else {
            switch m.diffusivity {
            case .constant(let d): diffusivity = .constant(finite(d * dT))
            case .table(let t):
                let values = t.values.map { finite($0 * dT) }
                diffusivity = (try? MonotoneTable(x: t.filling, y: values)) ?? .constant(values[0])
            }
        }
        return HostProperties(maximumConcentration: cmax, openCircuit: ocv, diffusivity: diffusivity)
    }
}
