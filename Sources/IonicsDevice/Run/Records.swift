/// One conductance read.
public struct Reading: Sendable {
    public var experiment: Int
    /// Time within the experiment, s.
    public var time: Double
    /// Conductance, S.
    public var conductance: Double
    public var label: String
    /// The last pulse applied before this read, if any.
    public var afterPulse: Int?

    public init(experiment: Int, time: Double, conductance: Double, label: String, afterPulse: Int?) {
        self.experiment = experiment
        self.time = time
        self.conductance = conductance
        self.label = label
        self.afterPulse = afterPulse
    }
}

/// What one pulse did.
public struct PulseRecord: Sendable {
    public var experiment: Int
    public var index: Int
    public var kind: PulseKind
    public var terminal: Int
    public var start: Double
    public var end: Double
    /// Charge into the device through the pulsed terminal during the pulse, C.
    public var charge: Double
    /// Electrical work ∫V·I dt through the pulsed terminal, J (negative when the device gives energy back).
    public var energy: Double
    /// Gate (write) energy ∫|V·I| dt through the pulsed terminal, J: what the write driver
    /// supplies to the ionic circuit (faradaic + charging current).
    public var writeEnergy: Double
    /// Energy of the electronic (read) path during the pulse, J: ∫V²·G(t) dt with V the
    /// read bias across the channel (lateral readout: the drain held at V_read while the
    /// gate is pulsed) or the voltage across the cell (vertical readout: electrons cross
    /// the mixed conductor from the pulsed terminal to the film's contact, so every write
    /// is also a Joule read). Evaluated from the readout conductance after each step
    /// (trapezoid); 0 for the ionic readout (no electronic path). Electrons do not act
    /// back on the ions in the model (docs/devices.md, "Energy").
    public var readEnergy: Double = 0
    /// writeEnergy + readEnergy, J.
    public var totalEnergy: Double { writeEnergy + readEnergy }
    /// Largest |V| and |I| on the pulsed terminal during the pulse.
    public var peakVoltage: Double
    public var peakCurrent: Double
    /// Change of the channel's ion content from the pulse's start to the next read, mol.
    public var channelIons: Double
    /// Conductance before the pulse and at the first read after it, S.
    public var conductanceBefore: Double
    public var conductanceAfter: Double

    public init(
        experiment: Int, index: Int, kind: PulseKind, terminal: Int, start: Double, end: Double, charge: Double, energy: Double,
        writeEnergy: Double, peakVoltage: Double, peakCurrent: Double, channelIons: Double, conductanceBefore: Double,
        conductanceAfter: Double
    ) {
        self.experiment = experiment
        self.index = index
        self.kind = kind
        self.terminal = terminal
        self.start = start
        self.end = end
        self.charge = charge
        self.energy = energy
        self.writeEnergy = writeEnergy
        self.peakVoltage = peakVoltage
        self.peakCurrent = peakCurrent
        self.channelIons = channelIons
        self.conductanceBefore = conductanceBefore
        self.conductanceAfter = conductanceAfter
    }
}

/// Per-terminal quantities of one step.
public struct TerminalSample: Sendable {
    /// Potential at the end of the step, V.
    public var voltage: Double
    /// Mean current into the device over the step, A (0 for a re-initialisation).
    public var current: Double
    /// Charge through the terminal during the step, C.
    public var charge: Double
    /// Work done through the terminal during the step, J.
    public var energy: Double
}

/// One accepted step (or re-initialisation) with its diagnostics.
public struct StepSummary: Sendable {
    public var experiment: Int
    public var time: Double
    public var step: Double
    public var reinitialisation: Bool
    public var newtonIterations: Int
    public var rejected: Int
    public var terminals: [TerminalSample]
    /// Conductance at the end of the step (lateral/vertical readouts; NaN for ionic).
    public var conductance: Double
    public var inventoryError: Double
    /// Spread of the total current over the faces, relative to the terms that balance.
    public var currentSpread: Double
    /// The same spread in A (over the device area).
    public var currentSpreadAbsolute: Double
    public var gaussResidual: Double
}

/// Everything one experiment produced.
public struct ExperimentOutcome: Sendable {
    public var name: String
    public var parameter: Double?
    public var baseline: Double
    public var readings: [Reading]
    public var pulses: [PulseRecord]
    /// Conductance at the end of every pulse segment (the peak response, volatile part included), S.
    public var pulseEndConductance: [Double]
    /// The boundaries at the config's output times.
    public var samples: [BoundarySample] = []

    public init(name: String, parameter: Double?, baseline: Double, readings: [Reading], pulses: [PulseRecord], pulseEndConductance: [Double]) {
        self.name = name
        self.parameter = parameter
        self.baseline = baseline
        self.readings = readings
        self.pulses = pulses
        self.pulseEndConductance = pulseEndConductance
    }
}
