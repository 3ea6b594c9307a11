/// A dilute (ideal) solution: no excess chemical potential.
public struct IdealSolution: BulkLaw {
    public init() {}

    public func excess(_ c: UnsafePointer<Double>, count n: Int, mu: UnsafeMutablePointer<Double>, dmu: UnsafeMutablePointer<Double>)
        throws(BulkLawError)
    {
        mu.update(repeating: 0, count: n)
        dmu.update(repeating: 0, count: n * n)
    }

    public func reservoirExcess(_ c: [Double]) -> Double { 0 }
}
