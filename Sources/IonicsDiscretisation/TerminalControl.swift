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
