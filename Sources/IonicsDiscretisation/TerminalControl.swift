public import IonicsPhysics

/// How a terminal is driven during a protocol segment.
public struct TerminalControl: Sendable {
    public enum Mode: Sendable, Equatable { case voltage, current }
    public var mode: Mode
    /// Volts in voltage mode; current density into the device (A/m²) in current mode.
    public var value: TimeFunction

    public init(mode: Mode, value: TimeFunction) {
        self.mode = mode
        self.value = value
    }

    public static func voltage(_ v: Double) -> TerminalControl { TerminalControl(mode: .voltage, value: .constant(v)) }
    public static func currentDensity(_ i: Double) -> TerminalControl { TerminalControl(mode: .current, value: .constant(i)) }
    /// No current: the terminal floats.
    public static let open = TerminalControl(mode: .current, value: .constant(0))
}

/// What drives the equations over one stretch of time: every terminal's control and the
/// factor on prescribed potentials (1, except in the bias continuation of an equilibrium
/// solve). Drives are data passed to each evaluation (see ``DrivenPNP``), never state of
/// the discretisation, so one discretisation serves every segment of a protocol, and
/// several at once.
public struct Drives: Sendable {
    public var controls: [TerminalControl]
    public var biasFactor: Double
    /// Identifies the stretch (the protocol segment) over which these drives hold:
    /// evaluations with equal `segment` and `biasFactor` see the same equations, which
    /// is what caches of evaluated quantities key on.
    public var segment: Int

    public init(controls: [TerminalControl], biasFactor: Double = 1, segment: Int = 0) {
        self.controls = controls
        self.biasFactor = biasFactor
        self.segment = segment
    }

    /// Every terminal held at 0 V.
    public static func grounded(terminals n: Int) -> Drives { Drives(controls: [TerminalControl](repeating: .voltage(0), count: n)) }
}
