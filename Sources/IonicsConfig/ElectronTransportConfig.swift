import IonicsUnits

/// `layers[i].electron_transport`: the film's electrons have their own potential and
/// current; its faces against the neighbouring metals are ohmic electron contacts.
public struct ElectronTransportConfig: Sendable, Equatable {
    /// Areal contact resistance (Ω·m²) by the metal's terminal name — a value, or a
    /// table `{"filling": [...], "value": [...]}` of R_c against the filling θ of the film
    /// cell at the contact; `nil` for a terminal written "blocking" (no electrons cross).
    /// Unlisted terminals: 0.
    public var contactResistance: [String: PropertyConfig?]
    /// Key path, e.g. `layers[1].electron_transport`.
    public var path: String

    public init(contactResistance: [String: PropertyConfig?] = [:], path: String) {
        self.contactResistance = contactResistance
        self.path = path
    }

    static func read(_ node: ConfigNode) -> ElectronTransportConfig? {
        guard let o = node.object() else { return nil }
        var config = ElectronTransportConfig(path: node.path)
        if let c = o.optional("contact_resistance")?.object() {
            c.acceptsAnyKey = true
            for key in c.keys {
                guard let v = c.optional(key) else { continue }
                if case .string("blocking") = v.value {
                    config.contactResistance[key] = .some(nil)
                } else if case .object = v.value {
                    // A law R_c(θ): positive values, since it is interpolated in ln R_c.
                    if let law = PropertyConfig.read(v, .areaResistance, positive: true) { config.contactResistance[key] = law }
                } else if let r = v.quantity(.areaResistance) {
                    if r >= 0 && r.isFinite { config.contactResistance[key] = .constant(r) } else { v.report("must be finite and not negative, got \(r)") }
                }
            }
        }
        return config
    }
}
