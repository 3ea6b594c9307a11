import Foundation

/// How the interfacial transfer rate depends on the overpotential.
///
/// - `butlerVolmer`: exponential in η (see ``ButlerVolmer``). Accurate for |η| of a few
///   V_T; at the volts of some synaptic write pulses it gives rates of e^{40}·i0, which
///   no interface sustains and which makes the equations needlessly stiff.
/// - `marcusHushChidsey`: electron transfer from a metal-like electron reservoir
///   through a Marcus reorganisation (Chidsey, Science 251, 919 (1991)); the rate
///   saturates for |η| beyond the reorganisation energy λ. Used for hosts written with
///   large gate voltages (Bazant, Acc. Chem. Res. 46, 1144 (2013) argues it for
///   intercalation; Bai & Bazant, Nat. Commun. 5, 3585 (2014) measured it in LiFePO4).
public enum RateLaw: Sendable, Equatable {
    case butlerVolmer
    /// λ, the reorganisation energy, in joules.
    case marcusHushChidsey(reorganizationEnergy: Double)
}
