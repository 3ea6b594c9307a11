import Foundation
import IonicsConfig
import IonicsPhysics

extension DeviceBuilder {
    /// How the synaptic weight is read: the config's readout, with the channel (default:
    /// the last host) and its conductivity or mobility table. A cell (no host) is not
    /// read unless the config asks for a readout.
    static func readoutModel(
        _ config: DeviceConfig, materials mats: [MaterialConfig], meshed: [Int], isCell: Bool, report: (String, String) -> Void
    ) -> ReadoutModel {
        let mode: ReadoutModel.Mode = !config.readout.given && isCell ? .off : ReadoutModel.Mode(rawValue: config.readout.mode) ?? .lateral
        var channel: Int?
        if let name = config.readout.layer {
            if let i = config.layers.firstIndex(where: { $0.name == name }), let k = meshed.firstIndex(of: i) {
                channel = k
                if (mode == .lateral || mode == .vertical) && mats[i].kind != .host {
                    report("readout.layer", "\"\(name)\" is a \(mats[i].kind.rawValue) layer; a \(mode.rawValue) readout reads a host channel's conductivity (use mode \"ionic\" or \"none\" otherwise)")
                    channel = nil
                }
            } else if config.layers.contains(where: { $0.name == name }) {
                report("readout.layer", "\"\(name)\" is a metal, a boundary of the stack; the readout reads a meshed layer")
            } else {
                report("readout.layer", "no meshed layer named \"\(name)\"")
            }
        } else if mode == .lateral || mode == .vertical {
            channel = meshed.lastIndex { mats[$0].kind == .host }.flatMap { meshed.firstIndex(of: meshed[$0]) }
            if channel == nil { report("readout", "no host layer to read; give readout.layer or use mode \"ionic\"") }
        }
        var logSigma: MonotoneTable?
        var logMu: MonotoneTable?
        var logMuP: MonotoneTable?
        if let c = channel, mode == .lateral || mode == .vertical {
            let m = mats[meshed[c]]
            let layer = config.layers[meshed[c]]
            let logScale = log(layer.conductivityScale ?? 1)
            func logTable(_ p: PropertyConfig, shift: Double) -> MonotoneTable? { DeviceBuilder.logTable(p, shift: shift) }
            // A scale or temperature factor that is 0 or not finite leaves no law to read
            // (the scale itself is reported by the layer's checks).
            func unreadable(_ what: String) {
                report("layers[\(meshed[c])]", "the channel's \(what) is not finite and positive at \(config.temperature) K with its conductivity_scale")
            }
            if let sc = m.semiconductor {
                let shift = log(m.temperatureFactor("mobility", at: config.temperature)) + logScale
                logMu = logTable(layer.mobility ?? sc.mobility, shift: shift)
                if logMu == nil { unreadable("electron mobility") }
                if let h = sc.holes {
                    logMuP = logTable(layer.holeMobility ?? h.mobility, shift: shift)
                    if logMuP == nil { unreadable("hole mobility") }
                } else if layer.holeMobility != nil {
                    report("layers[\(meshed[c])].hole_mobility", "\(m.name) has no holes (material key electrons.holes)")
                }
            } else if layer.holeMobility != nil {
                report("layers[\(meshed[c])].hole_mobility", "\(m.name) is not a semiconductor: holes need electrons.holes")
            } else if layer.conductivity == nil && m.conductivity == nil {
                report("layers[\(meshed[c])].material", "\(m.name) has no conductivity table to read the channel with")
            } else if let s = logConductivity(layer, m, temperature: config.temperature) {
                logSigma = s
            } else {
                unreadable("conductivity σ(θ)")
            }
        }
        let wl = config.geometry.map { $0.width / $0.length } ?? 1
        var model = ReadoutModel(mode: mode, channelLayer: channel, logConductivity: logSigma, logMobility: logMu,
                                 widthOverLength: wl, readVoltage: config.readout.readVoltage)
        model.logHoleMobility = logMuP
        return model
    }
}

extension DeviceBuilder {
    /// ln p(θ) + shift of a property: shift = ln(p(T)/p(T_ref)) + ln(scale) puts the table at
    /// the config's temperature (material law, ``TemperatureLaw``) times the layer's one
    /// stated scale factor.
    /// nil when the shifted law is not finite (a scale of 0, a factor that overflows).
    static func logTable(_ p: PropertyConfig, shift: Double) -> MonotoneTable? {
        switch p {
        case .constant(let v):
            let l = log(v) + shift
            return l.isFinite ? .constant(l) : nil
        case .table(let t): return try? MonotoneTable(x: t.filling, y: t.values.map { log($0) + shift })
        }
    }

    /// ln σ(θ) (σ in S/m) of a neutral host layer at `temperature`: the layer's table or the
    /// material's law, times the layer's `conductivity_scale`; nil without either.
    static func logConductivity(_ layer: LayerConfig, _ m: MaterialConfig, temperature: Double) -> MonotoneTable? {
        guard let s = layer.conductivity ?? m.conductivity else { return nil }
        return logTable(s, shift: log(m.temperatureFactor("conductivity", at: temperature)) + log(layer.conductivityScale ?? 1))
    }
}
