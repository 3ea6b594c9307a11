import Foundation
public import IonicsConfig
public import IonicsDiscretisation
public import IonicsPhysics

/// How the synaptic weight (conductance) is read from the state.
public struct ReadoutModel: Sendable {
    /// `off` (written "none"): no synaptic weight, for plain electrochemical cells.
    public enum Mode: String, Sendable { case lateral, vertical, ionic, off = "none" }
    public var mode: Mode
    /// Meshed layer index of the channel (lateral/vertical).
    public var channelLayer: Int?
    /// ln σ(θ) (S/m) of a neutral channel, or ln μ_n(θ) (m²/(V·s)) of a semiconductor one.
    public var logConductivity: MonotoneTable?
    public var logMobility: MonotoneTable?
    /// ln μ_p(θ) (m²/(V·s)) of an ambipolar semiconductor channel: σ = e(μ_n n + μ_p p).
    public var logHoleMobility: MonotoneTable? = nil
    /// W/L of the channel (lateral read).
    public var widthOverLength: Double
    /// Read bias, V.
    public var readVoltage: Double
}

/// A device ready to simulate: the physics problem, its mesh, terminals and readout,
/// built from a config and the material library by ``DeviceBuilder``.
public struct Device: Sendable {
    public let config: DeviceConfig
    public let problem: PNPProblem
    public let mesh: Mesh
    /// Materials of the meshed layers, in order.
    public let materials: [MaterialConfig]
    /// Metals at the ends (not meshed).
    public let firstMetal: MaterialConfig?
    public let lastMetal: MaterialConfig?
    public let terminalNames: [String]
    public let initialControls: [ControlConfig]
    /// Cross-section (channel) area, m² (1 for a cell without a geometry: values per m²).
    public let area: Double
    /// Factor from the discretisation's quantities (charges, currents, amounts) to the
    /// device's: the area W·L in 1D (they are per m² of channel), the width W in 2D
    /// (they are per metre of depth of the cross-section), m² or m.
    public let extent: Double
    /// What holds at the first and last outer boundary, for summaries ("electrode
    /// (terminal left)", "reservoir at 0 V", "metal Au (terminal gate)", "blocking").
    public let boundaryLabels: [String]
    public let readout: ReadoutModel

    /// Converts a config control into the discretisation's (current per ``extent``).
    public func control(_ c: ControlConfig) -> TerminalControl {
        switch c {
        case .voltage(let v): return .voltage(v)
        case .current(let i): return .currentDensity(i / extent)
        case .open: return .open
        }
    }

    public func terminalIndex(_ name: String) -> Int? { terminalNames.firstIndex(of: name) }

    /// Index of the species named `name`.
    public func speciesIndex(_ name: String) -> Int? { problem.species.firstIndex { $0.name == name } }
}
