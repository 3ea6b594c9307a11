/// Forwards every event to several observers, in order.
public final class ObserverGroup: SimulationObserver {
    public var observers: [any SimulationObserver]

    public init(_ observers: [any SimulationObserver]) { self.observers = observers }

    public func simulationWillStart(_ simulation: Simulation, initialState: [Double]) throws {
        for o in observers { try o.simulationWillStart(simulation, initialState: initialState) }
    }
    public func experimentWillStart(_ index: Int, _ experiment: Experiment) throws {
        for o in observers { try o.experimentWillStart(index, experiment) }
    }
    public func stepAccepted(_ step: StepSummary, state: [Double]) throws {
        for o in observers { try o.stepAccepted(step, state: state) }
    }
    public func readTaken(_ reading: Reading, state: [Double]) throws {
        for o in observers { try o.readTaken(reading, state: state) }
    }
    public func pulseFinished(_ pulse: PulseRecord) throws {
        for o in observers { try o.pulseFinished(pulse) }
    }
    public func snapshot(experiment: Int, time: Double, state: [Double]) throws {
        for o in observers { try o.snapshot(experiment: experiment, time: time, state: state) }
    }
    public func sampleTaken(_ sample: BoundarySample, state: [Double]) throws {
        for o in observers { try o.sampleTaken(sample, state: state) }
    }
    public func progress(_ fraction: Double, note: String) {
        for o in observers { o.progress(fraction, note: note) }
    }
}
