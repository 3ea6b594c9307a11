import Foundation
import IonicsConfig
import IonicsPhysics

extension DeviceBuilder {
    /// The physics of a `boundaries.first` / `boundaries.last` entry next to the meshed
    /// layer `layer` (config index `index`), with a label for summaries. Problems go to
    /// `report` with the config key they come from.
    ///
    /// - electrode: a blocking metal at a terminal, C_S(V − pzc − φ_s) its charge;
    /// - reservoir: every species of the layer at a fixed concentration and φ fixed;
    /// - concentration: the listed species fixed, the others blocked, φ fixed or free;
    /// - blocking: no flux, no field.
    ///
    /// A fixed concentration whose `initial_concentrations` differ is a step at t = 0: the
    /// initial equilibrium (``Simulation/timeBeforeProtocol``) sees the initial value,
    /// the protocol from t = 0 on the other.
    static func configuredBoundary(
        _ b: BoundaryConfig, layer: LayerPhysics, index: Int, material: MaterialConfig, species: [Species],
        terminal: (String) -> Int, defaultPZC: Double, report: (String, String) -> Void
    ) -> (Boundary, String) {
        let layerName = "layers[\(index)] (\"\(layer.name)\", \(material.kind.rawValue))"
        switch b.kind {
        case .blocking:
            return (.closed, "blocking")
        case .electrode:
            guard material.kind == .electrolyte || material.kind == .dielectric else {
                report(b.path + ".type", "an electrode needs an electrolyte or a dielectric next to it, not \(layerName); connect hosts through a metal layer")
                return (.closed, "electrode")
            }
            let name = b.terminal ?? "electrode"
            let potential = TerminalContact(terminal: terminal(name), stern: b.sternCapacitance, pzc: b.pzc ?? defaultPZC)
            return (Boundary(potential: potential), "electrode (terminal \(name))")
        case .reservoir, .concentration:
            guard material.kind == .electrolyte else {
                report(b.path + ".type", "a \(b.kind.rawValue) boundary needs an electrolyte next to it, not \(layerName)")
                return (.closed, b.kind.rawValue)
            }
            for (key, map) in [("concentrations", b.concentrations), ("initial_concentrations", b.initialConcentrations)] {
                for name in map.keys.sorted() where !layer.species.contains(where: { species[$0.species].name == name }) {
                    let known = layer.species.map { species[$0.species].name }.joined(separator: ", ")
                    report("\(b.path).\(key).\(name)", "\(layerName) has no species \"\(name)\" (it has: \(known))")
                }
            }
            // A reservoir fixes every species of the layer; a concentration boundary the listed ones.
            let fixed = layer.species.filter { b.kind == .reservoir || b.concentrations[species[$0.species].name] != nil }
            let wall: any PotentialContactLaw = b.potential.map { IdealMetalContact(potential: .constant($0)) } ?? ZeroFieldContact()
            var boundary = Boundary(potential: wall)
            var now: [Double] = []
            var before: [Double] = []
            for s in fixed {
                let name = species[s.species].name
                let c = b.concentrations[name] ?? s.initialConcentration
                let c0 = b.initialConcentrations[name] ?? c
                now.append(c * Double(species[s.species].charge))
                before.append(c0 * Double(species[s.species].charge))
                if !(c > 0) || !(c0 > 0) {
                    report("\(b.path).concentrations", "\"\(name)\" needs a positive concentration at the boundary (the layer's is \(s.initialConcentration) mol/m³)")
                }
                // The step is at t = 0: before it (the initial equilibrium, t < 0) c0, from it on c.
                boundary.species[s.species] = ReservoirContact(concentration: c0 == c ? .constant(c) : TimeFunction { $0 < 0 ? c0 : c })
            }
            if b.kind == .reservoir {
                // A reservoir is bulk electrolyte: neutral with the layer's fixed charge.
                let scale = max(fixed.map(\.initialConcentration).max() ?? 1, abs(layer.fixedCharge), 1e-30)
                let checks = [("concentrations", now)] + (b.initialConcentrations.isEmpty ? [] : [("initial_concentrations", before)])
                for (key, charges) in checks {
                    let net = charges.reduce(layer.fixedCharge, +)
                    if abs(net) > 1e-9 * scale {
                        report("\(b.path).\(key)", String(format: "the reservoir is not neutral (net charge %.4g mol/m³ of elementary charges with the layer's fixed charge)", net))
                    }
                }
            }
            let potential = b.potential.map { String(format: " at %.4g V", $0) } ?? ""
            return (boundary, b.kind == .reservoir ? "reservoir\(potential)" : "fixed concentration\(potential)")
        }
    }

    /// Whether a boundary fixes the potential (a metal, an electrode or a reservoir).
    static func fixesPotential(_ b: Boundary) -> Bool {
        b.metal != nil
    }
}
