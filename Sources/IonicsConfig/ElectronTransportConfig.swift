import IonicsUnits

/// `layers[i].electron_transport`: the film's electrons have their own potential and
/// current; its faces against the neighbouring metals are ohmic electron contacts.
public struct ElectronTransportConfig: Sendable, Equatable {
    /// Areal contact resistance (Ω·m²) by the metal's terminal name; `nil` for a
    /// terminal written "blocking" (no electrons cross). Unlisted terminals: 0.
    public var contactResistance: [String: Double?]
    /// Key path, e.g. `layers[1].electron_transport`.
    public var path: String

    public init(contactResistance: [String: Double?] = [:], path: String) {
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
                } else if let r = v.quantity(.areaResistance) {
                    if r >= 0 && r.isFinite { config.contactResistance[key] = r } else { v.report("must be finite and not negative, got \(r)") }
                }
            }
        }
        return config
    }
}
