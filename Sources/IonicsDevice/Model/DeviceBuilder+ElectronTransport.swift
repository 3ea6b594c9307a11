import Foundation
import IonicsConfig
import IonicsPhysics

extension DeviceBuilder {
    /// `electron_transport` on a layer that is not a neutral host.
    static func checkElectronTransportKeys(_ config: DeviceConfig, materials mats: [MaterialConfig], report: (String, String) -> Void) {
        for (i, l) in config.layers.enumerated() where l.electronTransport != nil {
            let m = mats[i]
            if m.kind != .host || m.semiconductor != nil {
                report("layers[\(i)].electron_transport", "electron transport is for a neutral (metallic or mixed-conducting) host; \(m.name) is \(m.semiconductor != nil ? "a semiconductor, whose electrons Poisson already solves" : "a \(m.kind.rawValue)")")
            }
        }
    }

    /// The electron transport of host layer `i` (`layers[i].electron_transport`), or nil
    /// when the layer does not ask for it. Its σ_e(θ) is the layer's conductivity law (the
    /// one the readout uses, at the config's temperature); its faces against the stack's
    /// two metals are ohmic contacts with the areal resistances given by terminal name
    /// (0 when unlisted, none when "blocking"; a table is a law R_c(θ) of the contact
    /// cell's filling, not temperature-dependent). Problems are reported by key.
    static func electronTransport(
        _ config: DeviceConfig, materials mats: [MaterialConfig], layer i: Int, meshed: [Int],
        firstMetal: Int?, lastMetal: Int?, report: (String, String) -> Void
    ) -> ElectronTransport? {
        let l = config.layers[i]
        guard let et = l.electronTransport else { return nil }
        let m = mats[i]
        guard meshed == [i], let first = firstMetal, let last = lastMetal else {
            report(et.path, "electron transport needs the host between two metals as the stack's only meshed layer (a two-terminal cell), e.g. [Au-Li, film, Pt]")
            return nil
        }
        guard let sigma = logConductivity(l, m, temperature: config.temperature) else {
            report(et.path, "needs the film's electronic conductivity σ(θ): give layers[\(i)].conductivity or a conductivity law in \(m.name)")
            return nil
        }
        guard config.dimension == 1 else {
            report(et.path, "electron transport is for 1D stacks (a two-terminal cell is laterally uniform); remove \"dimension\": 2")
            return nil
        }
        let names = [first, last].map { config.layers[$0].terminal ?? ($0 == first ? "gate" : "drain") }
        if names[0] == names[1] {
            report(et.path, "both metals are terminal \"\(names[0])\": the film would be shorted; give them different terminals")
            return nil
        }
        // The film's electrons reach the terminals only through its contacts: its own
        // terminal (the host's electron terminal without electron transport) must be one of them.
        let own = l.terminal ?? "source"
        if !names.contains(own) {
            report("layers[\(i)].terminal", "with electron transport the film's electrons reach the terminals through its contacts; its terminal must be one of its metals' (\(names.joined(separator: ", "))), got \"\(own)\"")
        }
        for key in et.contactResistance.keys.sorted() where !names.contains(key) {
            report("\(et.path).contact_resistance.\(key)", "no metal with terminal \"\(key)\" touches the film (its metals' terminals: \(names.joined(separator: ", ")))")
        }
        func resistance(_ name: String) -> ContactResistance? {
            switch et.contactResistance[name] {
            case .none: return .constant(0)
            case .some(.none): return nil
            case .some(.some(.constant(let r))): return .constant(r)
            case .some(.some(let law)):
                // A law R_c(θ) in ln R_c, as the conductivity laws (the reader has checked θ
                // rising in [0, 1] and the values positive; NaN is reported by `validate`).
                return logTable(law, shift: 0).map { .filling($0) } ?? .constant(.nan)
            }
        }
        let (rFirst, rLast) = (resistance(names[0]), resistance(names[1]))
        if rFirst == nil && rLast == nil {
            report("\(et.path).contact_resistance", "both contacts block electrons: at least one must pass them")
            return nil
        }
        // A metal that neither passes electrons nor exchanges the film's ion touches nothing.
        for (k, metal) in [first, last].enumerated() where (k == 0 ? rFirst : rLast) == nil {
            let m2 = mats[metal]
            if !(m2.ion == m.ion && m2.equilibriumPotential != nil && m2.kinetics != nil) {
                report("\(et.path).contact_resistance.\(names[k])", "\(m2.name) exchanges no \(m.ion ?? "ion") with the film: blocking its electrons too would leave terminal \"\(names[k])\" connected to nothing")
            }
        }
        return ElectronTransport(logConductivity: sigma, firstContact: rFirst, lastContact: rLast)
    }
}
